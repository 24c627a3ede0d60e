import { isMap, isScalar, isSeq, LineCounter, Node, Pair } from 'yaml';

/** A problem of the YAML text itself that the parsed value no longer shows (e.g. a repeated key). */
export interface SourceIssue {
  /** Field path inside the object, in the linter's notation (`spec.ingress[0].toPorts`). */
  readonly path: string;
  readonly line: number;
  readonly message: string;
}

/** Writes one path segment the way lint paths do: `.name` for plain keys, `["k8s:app"]` otherwise. */
export function pathSegment(key: string | number): string {
  if (typeof key === 'number') return `[${key}]`;
  return /^[A-Za-z_$][\w$-]*$/.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`;
}

/** Maps whose keys are label keys: the linter always writes them in brackets (`matchLabels["app"]`). */
const LABEL_MAPS = /(?:^|\.)(?:matchLabels|labels|annotations)$/;

export function joinPath(parent: string, key: string | number): string {
  const seg =
    typeof key === 'string' && LABEL_MAPS.test(parent) ? `[${JSON.stringify(key)}]` : pathSegment(key);
  return parent === '' && seg.startsWith('.') ? seg.slice(1) : `${parent}${seg}`;
}

const SEGMENT = /\.?([A-Za-z_$][\w$-]*)|\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]/y;

/** Splits a lint path (`spec.egress[0].matchLabels["app"]`) into keys and indexes; undefined when it does not parse. */
export function splitPath(path: string): Array<string | number> | undefined {
  const out: Array<string | number> = [];
  SEGMENT.lastIndex = 0;
  while (SEGMENT.lastIndex < path.length) {
    const start = SEGMENT.lastIndex;
    const m = SEGMENT.exec(path);
    if (!m || SEGMENT.lastIndex === start) return undefined;
    if (m[1] !== undefined) out.push(m[1]);
    else if (m[2] !== undefined) out.push(Number(m[2]));
    else out.push(JSON.parse(m[3]) as string);
  }
  return out;
}

function keyText(pair: Pair): string | undefined {
  const k = pair.key;
  if (isScalar(k)) return String(k.value);
  return undefined;
}

/**
 * Resolves lint paths to lines of one YAML document: the line of the field's key (or list item),
 * or of the deepest existing parent when the path goes further than the document.
 */
export function fieldLocator(
  root: Node | null | undefined,
  lineAt: (offset: number) => number,
): (path: string) => number | undefined {
  const lineOf = (offset: number | undefined): number | undefined =>
    offset === undefined ? undefined : lineAt(offset);
  return (path: string) => {
    const segments = path === '(root)' ? [] : splitPath(path);
    if (!segments || !root) return undefined;
    let node: unknown = root;
    let line = lineOf((root as Node).range?.[0]);
    for (const seg of segments) {
      if (typeof seg === 'number' && isSeq(node)) {
        const item = node.items[seg] as Node | undefined;
        if (!item) break;
        line = lineOf(item.range?.[0]) ?? line;
        node = item;
      } else if (typeof seg === 'string' && isMap(node)) {
        const pair = [...node.items].reverse().find((p) => keyText(p) === seg);
        if (!pair) break;
        line = lineOf((pair.key as Node | null)?.range?.[0]) ?? line;
        node = pair.value;
      } else {
        break;
      }
    }
    return line;
  };
}

/** Keys written twice in one mapping (the parsed value keeps only the last one). */
export function duplicateKeys(root: Node | null | undefined, lineCounter: LineCounter): SourceIssue[] {
  const out: SourceIssue[] = [];
  const visit = (node: unknown, path: string, depth: number): void => {
    if (depth > 64) return;
    if (isMap(node)) {
      const seen = new Map<string, number>();
      for (const pair of node.items) {
        const key = keyText(pair);
        if (key === undefined) continue;
        const line = lineCounter.linePos((pair.key as Node).range?.[0] ?? 0).line;
        const first = seen.get(key);
        if (first !== undefined) {
          out.push({
            path: joinPath(path, key),
            line,
            message: `the key \`${key}\` is written twice in one mapping (first on line ${first}); YAML keeps only the last one, so the first is silently lost`,
          });
        } else {
          seen.set(key, line);
        }
        visit(pair.value, joinPath(path, key), depth + 1);
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, i) => visit(item, joinPath(path, i), depth + 1));
    }
  };
  visit(root, '', 0);
  return out;
}
