/** Optimal string alignment distance (Levenshtein plus adjacent transpositions), case-sensitive. */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) =>
    Array.from({ length: cols }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

/** Distance used for "did you mean": a case-only difference counts as the closest possible match. */
function nameDistance(wrong: string, candidate: string): number {
  if (wrong.toLowerCase() === candidate.toLowerCase()) return 0.5;
  return editDistance(wrong.toLowerCase(), candidate.toLowerCase());
}

/** The largest distance still worth suggesting for a name of this length. */
function threshold(name: string): number {
  return Math.max(1, Math.min(3, Math.floor(name.length / 3)));
}

/** Candidates close to `wrong`, best first (ties alphabetical); a case-only match is suggested alone. */
export function closestNames(wrong: string, candidates: Iterable<string>, limit = 3): string[] {
  const scored: { name: string; distance: number }[] = [];
  for (const name of new Set(candidates)) {
    const distance = nameDistance(wrong, name);
    if (distance <= threshold(wrong)) scored.push({ name, distance });
  }
  scored.sort((x, y) => x.distance - y.distance || (x.name < y.name ? -1 : x.name > y.name ? 1 : 0));
  if (scored.length > 0 && scored[0].distance < 1)
    return scored.filter((s) => s.distance < 1).map((s) => s.name);
  return scored.slice(0, limit).map((s) => s.name);
}

/** `a`, `a` or `b`, `a`, `b` or `c` */
export function orList(items: readonly string[]): string {
  const quoted = items.map((i) => `\`${i}\``);
  if (quoted.length <= 1) return quoted.join('');
  return `${quoted.slice(0, -1).join(', ')} or ${quoted[quoted.length - 1]}`;
}
