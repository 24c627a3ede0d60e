/**
 * Greedy reduction of a failing vector after fast-check's shrinker (which keeps the tail of
 * arrays it cannot shorten from the front): drop whole policies and flows, then any list item
 * or key inside a policy's spec(s), the options and the flow ends' optional fields, as long as
 * the vector still fails. Every candidate costs one oracle call; `budget` bounds them.
 */
import type { ConformanceVector } from './vectors';

type Node = unknown;

/** Keys of a flow end that may go (the labels stay: they are the identity). */
const OPTIONAL_PEER_KEYS = ['auditMode', 'managed', 'namedPorts', 'dnsNames', 'ip'];

/** All single-step reductions of a JSON value: a list item or an object key removed, recursively. */
function* reductions(node: Node, keep: (key: string) => boolean = () => false): Generator<Node> {
  if (Array.isArray(node)) {
    for (let i = 0; i < node.length; i++) yield [...node.slice(0, i), ...node.slice(i + 1)];
    for (let i = 0; i < node.length; i++) {
      for (const r of reductions(node[i])) yield [...node.slice(0, i), r, ...node.slice(i + 1)];
    }
    return;
  }
  if (!node || typeof node !== 'object') return;
  const obj = node as Record<string, unknown>;
  for (const k of Object.keys(obj)) {
    if (keep(k)) continue;
    const { [k]: _removed, ...rest } = obj;
    yield rest;
  }
  for (const k of Object.keys(obj)) {
    for (const r of reductions(obj[k])) yield { ...obj, [k]: r };
  }
}

function* vectorReductions(v: ConformanceVector): Generator<ConformanceVector> {
  for (let i = 0; i < v.policies.length; i++) yield { ...v, policies: v.policies.filter((_, j) => j !== i) };
  for (let i = 0; i < v.flows.length; i++) yield { ...v, flows: v.flows.filter((_, j) => j !== i) };
  for (const options of reductions(v.options ?? {}))
    yield { ...v, options: options as ConformanceVector['options'] };
  for (let i = 0; i < v.policies.length; i++) {
    const p = v.policies[i];
    for (const field of ['spec', 'specs'] as const) {
      if (p[field] === undefined) continue;
      for (const r of reductions(p[field]))
        yield { ...v, policies: v.policies.map((q, j) => (j === i ? { ...p, [field]: r } : q)) };
    }
  }
  for (let i = 0; i < v.flows.length; i++) {
    const c = v.flows[i];
    for (const end of ['source', 'destination'] as const) {
      const peer = c.flow[end] as unknown as Record<string, unknown>;
      for (const k of OPTIONAL_PEER_KEYS) {
        if (peer[k] === undefined) continue;
        const { [k]: _removed, ...rest } = peer;
        yield {
          ...v,
          flows: v.flows.map((d, j) => (j === i ? { ...d, flow: { ...d.flow, [end]: rest } } : d)),
        } as ConformanceVector;
      }
    }
  }
}

export function minimize(
  vector: ConformanceVector,
  fails: (v: ConformanceVector) => boolean,
  budget: number,
): ConformanceVector {
  let current = vector;
  let calls = 0;
  // Candidates before `start` failed to reduce the previous version; skip them until a full pass.
  let start = 0;
  for (;;) {
    let reduced = false;
    let i = 0;
    for (const candidate of vectorReductions(current)) {
      if (i++ < start) continue;
      if (++calls > budget) return current;
      if (fails(candidate)) {
        current = candidate;
        start = i - 1;
        reduced = true;
        break;
      }
    }
    if (!reduced) {
      if (start === 0) return current;
      start = 0;
    }
  }
}
