import { Identity } from '../engine/identity';
import { Entry } from '../engine/model';
import { entrySelectors, SelectorIndex } from '../engine/selector-index';
import { Direction } from '../engine/types';
import { MatrixPlan } from './plan';

/**
 * The pairs a policy rule may decide: an egress rule selecting the source may match the
 * destination as its peer, or an ingress rule selecting the destination may match the source.
 * Every other pair gets, at each end, what that end decides for a peer none of its rules names
 * (its default, see defaults.ts), on every port: the matrix evaluates only these pairs, plus the
 * host's flows (the host is allowed into endpoints that have ingress rules, allow-localhost).
 */
export interface DecidedPairs {
  /** Per source: the destinations one of its egress rules may match. */
  readonly egress: ReadonlyArray<ReadonlySet<number>>;
  /** Per destination: the sources one of its ingress rules may match. */
  readonly ingress: ReadonlyArray<ReadonlySet<number>>;
  /** Per source: every destination evaluated, ascending. */
  readonly destinations: ReadonlyArray<readonly number[]>;
  /** Per destination: every source evaluated, ascending. */
  readonly sources: ReadonlyArray<readonly number[]>;
}

export function decidedPairs(plan: MatrixPlan): DecidedPairs {
  const subjects = entrySubjects(plan);
  const egress = plan.identities.map(() => new Set<number>());
  const ingress = plan.identities.map(() => new Set<number>());
  matchPeers(plan, subjects, (entry, peer) => {
    const into = entry.direction === 'egress' ? egress : ingress;
    for (const end of subjects[entry.direction].get(entry)!) into[end].add(peer);
  });
  const destinations = plan.identities.map(() => new Set<number>());
  const sources = plan.identities.map(() => new Set<number>());
  const add = (s: number, d: number) => {
    if (!plan.hasFlows(s, d)) return;
    destinations[s].add(d);
    sources[d].add(s);
  };
  for (const s of plan.sources) {
    if (plan.host[s]) for (let d = 0; d < plan.identities.length; d++) add(s, d);
    for (const d of egress[s]) add(s, d);
  }
  ingress.forEach((from, d) => from.forEach((s) => plan.node(s).kind !== 'fqdn' && add(s, d)));
  const ascending = (set: Set<number>) => [...set].sort((a, b) => a - b);
  return { egress, ingress, destinations: destinations.map(ascending), sources: sources.map(ascending) };
}

type Subjects = Record<Direction, Map<Entry, number[]>>;

/** Per direction: each entry selecting some managed identity, with the identities it selects. */
function entrySubjects(plan: MatrixPlan): Subjects {
  const subjects: Subjects = { ingress: new Map(), egress: new Map() };
  plan.identities.forEach((identity, i) => {
    if (!plan.managed[i]) return;
    for (const direction of ['ingress', 'egress'] as const) {
      for (const e of plan.engine.selectingEntries(identity.node.peer, direction)) {
        const list = subjects[direction].get(e);
        if (list) list.push(i);
        else subjects[direction].set(e, [i]);
      }
    }
  });
  return subjects;
}

/** Calls `found` for every (entry, identity) where the entry's peers may match the identity. */
function matchPeers(plan: MatrixPlan, subjects: Subjects, found: (e: Entry, peer: number) => void): void {
  const all = [...subjects.ingress.keys(), ...subjects.egress.keys()];
  // CIDR and FQDN peers match only identities outside the cluster (or nodes): test them only there.
  const byAddress = all.filter(addressOnly);
  const entries = all.filter((e) => !addressOnly(e));
  const index = new SelectorIndex(entries.length, (i) => entrySelectors(entries[i]));
  const clusterName = plan.engine.options.clusterName;
  plan.identities.forEach((identity, p) => {
    const peer = identity.node.peer;
    const id = new Identity(peer.labels, clusterName);
    for (const k of index.candidates(id)) {
      if (plan.engine.peerMayMatch(entries[k], peer)) found(entries[k], p);
    }
    if (!id.isWorld && !id.isNode) return;
    for (const e of byAddress) if (plan.engine.peerMayMatch(e, peer)) found(e, p);
  });
}

function addressOnly(e: Entry): boolean {
  const p = e.peers;
  return p.kind === 'list' && p.selectors.length === 0 && p.opaque.length === 0;
}
