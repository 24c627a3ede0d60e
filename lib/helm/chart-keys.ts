import { isMap, isScalar, isSeq, parse, type Node } from 'yaml';
import { parsedCiliumValuesYaml, parseValuesYaml, type ParsedValuesYaml } from './chart-files';

/**
 * How a key of the chart's values.yaml is shaped. Whether a key is accepted at all follows what the
 * chart's templates read (template-keys.ts); values.yaml gives the shape checks and the output order.
 * - `map`: a settings map; only its known (or documented, commented-out) keys are allowed.
 * - `freeForm`: `{}` in values.yaml, or a Kubernetes pass-through such as `nodeSelector`,
 *   `resources`, `securityContext`, `*Labels`, `*Annotations`: any keys below.
 * - `list`, `null`: replaced wholesale by the user; the schema checks their type.
 * - `scalar`: a leaf; nothing below.
 * - `commented`: documented only as a comment (`# policyAuditMode: false`).
 */
export type ChartKeyKind = 'map' | 'freeForm' | 'list' | 'null' | 'scalar' | 'commented';

export interface ChartKey {
  readonly path: readonly string[];
  /** 1-based line in values.yaml. */
  readonly line: number;
  readonly kind: ChartKeyKind;
  /** For `scalar` and `commented` keys: the type of the (example) value, when it has one. */
  readonly valueType?: 'boolean' | 'number' | 'string';
  readonly children: Map<string, ChartKey>;
}

export interface ChartKeyIndex {
  readonly root: ChartKey;
  /** Every key, in values.yaml order. */
  readonly all: readonly ChartKey[];
}

/** Maps whose content the chart passes straight to Kubernetes objects. */
const PASS_THROUGH_NAMES = new Set([
  'affinity',
  'annotations',
  'extraConfig',
  'labels',
  'lifecycle',
  'livenessProbe',
  'matchLabels',
  'nodeSelector',
  'podSecurityContext',
  'readinessProbe',
  'resources',
  'initResources',
  'securityContext',
  'startupProbe',
  'tlsConfig',
  'updateStrategy',
]);

function isPassThroughName(name: string): boolean {
  return PASS_THROUGH_NAMES.has(name) || /[a-z](Labels|Annotations)$/.test(name);
}

function scalarType(value: unknown): ChartKey['valueType'] {
  if (typeof value === 'boolean') return 'boolean';
  if (typeof value === 'number') return 'number';
  if (typeof value === 'string') return 'string';
  return undefined;
}

interface Located {
  readonly key: ChartKey;
  /** 0-based line and column of the key. */
  readonly line0: number;
  readonly col: number;
}

function newKey(
  path: string[],
  line: number,
  kind: ChartKeyKind,
  valueType?: ChartKey['valueType'],
): ChartKey {
  return { path, line, kind, valueType, children: new Map() };
}

function kindOf(name: string, node: unknown): { kind: ChartKeyKind; valueType?: ChartKey['valueType'] } {
  if (isMap(node)) return { kind: node.items.length === 0 || isPassThroughName(name) ? 'freeForm' : 'map' };
  if (isSeq(node)) return { kind: 'list' };
  if (node === null || node === undefined || (isScalar(node) && node.value === null)) return { kind: 'null' };
  return { kind: 'scalar', valueType: isScalar(node) ? scalarType(node.value) : undefined };
}

function collectRealKeys({ doc, lineCounter }: ParsedValuesYaml): { root: ChartKey; located: Located[] } {
  if (doc.errors.length > 0) throw new Error(`Cilium values.yaml does not parse: ${doc.errors[0].message}`);
  const root = newKey([], 0, 'map');
  const located: Located[] = [];
  const walk = (node: unknown, parent: ChartKey): void => {
    if (!isMap(node)) return;
    for (const pair of node.items) {
      const keyNode = pair.key as Node & { value?: unknown };
      const name = String(keyNode.value);
      const pos = lineCounter.linePos(keyNode.range?.[0] ?? 0);
      const { kind, valueType } = kindOf(name, pair.value);
      const key = newKey([...parent.path, name], pos.line, kind, valueType);
      parent.children.set(name, key);
      located.push({ key, line0: pos.line - 1, col: pos.col - 1 });
      if (kind === 'map') walk(pair.value, key);
    }
  };
  walk(doc.contents, root);
  return { root, located };
}

/** `# someKey: value` with one space after `#`: the top line of a commented-out setting. */
const COMMENTED_KEY = /^(\s*)# ([a-z][A-Za-z0-9_-]*):(?: +(.*?))?\s*$/;
const SCHEMA_FENCE = /^\s*# @schema@?\s*$/;

function exampleValueType(raw: string | undefined): { ok: boolean; valueType?: ChartKey['valueType'] } {
  if (raw === undefined || raw === '') return { ok: true };
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(raw)) return { ok: false };
  const quotedOrFlow = /^["'[{]/.test(raw);
  if (!quotedOrFlow && /\s/.test(raw)) return { ok: false }; // prose such as "# nodes: Count of nodes ..."
  if (raw === '|' || raw === '|-' || raw === '>') return { ok: true, valueType: 'string' };
  try {
    return { ok: true, valueType: scalarType(parse(raw)) };
  } catch {
    return { ok: false };
  }
}

/**
 * Registers documented-but-commented-out keys. A comment at column c belongs to the nearest earlier
 * key indented less than c; values.yaml also writes a map's optional keys at the map's own column
 * right after its last line (`ipMasqAgent:` ... `# config:`), so such a comment is registered in
 * that map as well.
 */
function addCommentedKeys(src: string, root: ChartKey, located: Located[]): void {
  const lines = src.split('\n');
  const keyAtLine = new Map(located.map((l) => [l.line0, l]));
  let inSchemaBlock = false;
  for (let i = 0; i < lines.length; i++) {
    if (SCHEMA_FENCE.test(lines[i])) {
      inSchemaBlock = !inSchemaBlock;
      continue;
    }
    if (inSchemaBlock) continue;
    const match = COMMENTED_KEY.exec(lines[i]);
    if (!match) continue;
    const example = exampleValueType(match[3]);
    if (!example.ok) continue;
    const col = match[1].length;
    const parents = [structuralParent(keyAtLine, i, col) ?? root];
    const sibling = isDirectlyBelowCode(lines, i) ? nearestKeyAtColumn(keyAtLine, i, col) : undefined;
    if (sibling) parents.push(sibling);
    for (const parent of parents) {
      if (parent.kind !== 'map' || parent.children.has(match[2])) continue;
      parent.children.set(
        match[2],
        newKey([...parent.path, match[2]], i + 1, 'commented', example.valueType),
      );
    }
  }
}

/** The nearest key above line i indented less than col. */
function structuralParent(keyAtLine: Map<number, Located>, i: number, col: number): ChartKey | undefined {
  for (let j = i - 1; j >= 0; j--) {
    const here = keyAtLine.get(j);
    if (here && here.col < col) return here.key;
  }
  return undefined;
}

/** The nearest key above line i at exactly column col, unless a less indented key comes first. */
function nearestKeyAtColumn(keyAtLine: Map<number, Located>, i: number, col: number): ChartKey | undefined {
  for (let j = i - 1; j >= 0; j--) {
    const here = keyAtLine.get(j);
    if (!here || here.col > col) continue;
    return here.col === col ? here.key : undefined;
  }
  return undefined;
}

/** True when only comment lines (no blank line) separate line i from the code above it. */
function isDirectlyBelowCode(lines: readonly string[], i: number): boolean {
  for (let j = i - 1; j >= 0; j--) {
    if (lines[j].trim() === '') return false;
    if (!/^\s*#/.test(lines[j])) return true;
  }
  return false;
}

function flatten(key: ChartKey, out: ChartKey[]): ChartKey[] {
  for (const child of key.children.values()) {
    out.push(child);
    flatten(child, out);
  }
  return out;
}

let cachedIndex: ChartKeyIndex | undefined;

/** The key tree of the packaged Cilium values.yaml, built once. */
export function ciliumChartKeys(): ChartKeyIndex {
  if (cachedIndex) return cachedIndex;
  cachedIndex = indexOf(parsedCiliumValuesYaml());
  return cachedIndex;
}

export function buildChartKeyIndex(valuesYaml: string): ChartKeyIndex {
  return indexOf(parseValuesYaml(valuesYaml));
}

function indexOf(parsed: ParsedValuesYaml): ChartKeyIndex {
  const { root, located } = collectRealKeys(parsed);
  addCommentedKeys(parsed.text, root, located);
  const all = flatten(root, []).sort((a, b) => a.line - b.line);
  return { root, all };
}
