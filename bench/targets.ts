/** Benchmark targets: each bench prints its numbers, then fails (exit 1) if one is missed. */
export function checkTargets(
  targets: ReadonlyArray<{
    readonly name: string;
    readonly value: number;
    readonly limit: number;
    readonly kind: 'min' | 'max';
  }>,
): void {
  let failed = 0;
  for (const t of targets) {
    const ok = t.kind === 'min' ? t.value >= t.limit : t.value <= t.limit;
    if (!ok) failed++;
    console.log(
      `target ${ok ? 'met   ' : 'MISSED'} ${t.name}: ${Math.round(t.value).toLocaleString('en-US')} (${t.kind === 'min' ? 'at least' : 'at most'} ${t.limit.toLocaleString('en-US')})`,
    );
  }
  if (failed > 0) process.exitCode = 1;
}
