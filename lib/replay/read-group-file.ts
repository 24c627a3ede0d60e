import * as fs from 'fs';
import * as zlib from 'zlib';
import { ReplayInputError } from './replay-input-error';
import { GROUP_FILE_KIND, GROUP_FILE_VERSION, GroupFile } from './group-file';

type Check = (value: unknown, at: string) => string | undefined;

const whole: Check = (v) =>
  Number.isSafeInteger(v) && (v as number) >= 0 ? undefined : 'expected a whole number';
const time: Check = (v) =>
  Number.isSafeInteger(v) && (v as number) >= -1 ? undefined : 'expected epoch milliseconds or -1';
const text: Check = (v) => (typeof v === 'string' ? undefined : 'expected a string');
const bool: Check = (v) => (typeof v === 'boolean' ? undefined : 'expected true or false');
const object: Check = (v) =>
  v && typeof v === 'object' && !Array.isArray(v) ? undefined : 'expected an object';
const list =
  (item: Check): Check =>
  (v, at) => {
    if (!Array.isArray(v)) return 'expected a list';
    for (let i = 0; i < v.length; i++) {
      const p = item(v[i], `${at}[${i}]`);
      if (p) return `[${i}]${p.startsWith('[') || p.startsWith('.') ? '' : ': '}${p}`;
    }
    return undefined;
  };
const pair: Check = (v) =>
  Array.isArray(v) && v.length === 2 && typeof v[0] === 'string' && whole(v[1], '') === undefined
    ? undefined
    : 'expected [key, count]';
const fields =
  (shape: Record<string, Check>, optional: readonly string[] = []): Check =>
  (v, at) => {
    const o = object(v, at);
    if (o) return o;
    for (const [k, check] of Object.entries(shape)) {
      const value = (v as Record<string, unknown>)[k];
      if (value === undefined) {
        if (optional.includes(k)) continue;
        return `.${k}: missing`;
      }
      const p = check(value, `${at}.${k}`);
      if (p) return `.${k}${p.startsWith('[') || p.startsWith('.') ? '' : ': '}${p}`;
    }
    return undefined;
  };
const cappedSet = fields({ values: list(text), more: bool });
const direction = fields({
  decision: text,
  rules: list(fields({ kind: text, name: text, path: text })),
  notes: list(text),
});
const group = fields(
  {
    source: list(text),
    destination: list(text),
    dnsNames: list(text),
    protocol: text,
    port: whole,
    icmpType: whole,
    signature: text,
    addressOnly: bool,
    predicted: fields({ verdict: text, egress: direction, ingress: direction }),
    events: whole,
    connections: whole,
    observed: list(pair),
    directions: list(pair),
    firstSeen: text,
    lastSeen: text,
    nodes: cappedSet,
    sourcePods: cappedSet,
    destinationPods: cappedSet,
    sourceIps: cappedSet,
    destinationIps: cappedSet,
    firstLine: whole,
    observedPolicyDrops: whole,
    denyingPolicies: cappedSet,
  },
  ['dnsNames', 'port', 'icmpType', 'firstSeen', 'lastSeen'],
);
const body = fields(
  {
    scope: fields({
      digests: fields({ policies: text, engine: text, filters: text }),
      engine: object,
      filters: object,
    }),
    engineClusterName: text,
    input: fields({ name: text, gzip: bool }),
    lines: whole,
    evaluated: whole,
    skipped: whole,
    malformed: whole,
    skippedByReason: (v, at) =>
      object(v, at) ??
      (Object.values(v as object).every((n) => whole(n, at) === undefined) ? undefined : 'expected counts'),
    malformedLines: list(fields({ line: whole, reason: text })),
    incomplete: fields({ afterLine: whole, reason: text }),
    clusters: list(pair),
    groups: list(group),
    connections: fields({ keys: list(text), first: list(time), last: list(time), group: list(whole) }),
  },
  ['engineClusterName', 'incomplete'],
);

/** Reads and checks a group file (plain or gzip JSON); anything wrong is a ReplayInputError naming the file and field. */
export function readGroupFile(path: string): GroupFile {
  let data: Buffer;
  try {
    data = fs.readFileSync(path);
  } catch (e) {
    throw new ReplayInputError(
      `${path}: cannot read group file: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
    );
  }
  let value: unknown;
  try {
    const raw = data[0] === 0x1f && data[1] === 0x8b ? zlib.gunzipSync(data) : data;
    value = JSON.parse(raw.toString('utf8'));
  } catch (e) {
    throw new ReplayInputError(
      `${path}: not a replay group file (${(e as Error).message}); make one with \`replay --save-groups ${path}\``,
    );
  }
  const v = value as Record<string, unknown>;
  if (object(v, '') || v.kind !== GROUP_FILE_KIND) {
    throw new ReplayInputError(
      `${path}: not a replay group file (expected "kind": "${GROUP_FILE_KIND}"); make one with \`replay --save-groups ${path}\``,
    );
  }
  if (v.version !== GROUP_FILE_VERSION) {
    throw new ReplayInputError(
      `${path}: group file version ${JSON.stringify(v.version)}, this cilium-lockdown reads version ${GROUP_FILE_VERSION}: save every part again with the same cilium-lockdown version`,
    );
  }
  const problem = body(v, '');
  if (problem)
    throw new ReplayInputError(
      `${path}: damaged group file: ${problem.replace(/^\./, '')}; save it again with \`replay --save-groups\``,
    );
  const file = v as unknown as GroupFile;
  const n = file.groups.length;
  const c = file.connections;
  if (
    c.first.length !== c.keys.length ||
    c.last.length !== c.keys.length ||
    c.group.length !== c.keys.length ||
    c.group.some((g) => g >= n)
  ) {
    throw new ReplayInputError(
      `${path}: damaged group file: connections: keys, first, last and group must be lists of the same length, group indexes below ${n}`,
    );
  }
  return file;
}
