import { Identity } from './identity';
import { CompiledRule, Entry } from './model';
import { entrySelectors, SelectorIndex } from './selector-index';
import { Direction, DirectionResult, RuleRef } from './types';

/** Which entries of which rules select one identity in one direction. */
export interface Selection {
  readonly denies: readonly Entry[];
  readonly allows: readonly Entry[];
  readonly hasEntries: boolean;
  /** Some selecting entry has default-deny (docs/cilium-semantics.md, "Default deny"). */
  readonly defaultDeny: boolean;
  /** The rule sections that made the direction default-deny. */
  readonly defaultDenyRefs: readonly RuleRef[];
  /** Some selecting egress allow carries a DNS L7 rule (docs/cilium-semantics.md, "The DNS rule"). */
  readonly dnsRule: boolean;
  /** Some entry has CIDR peers (the peer's address matters). */
  readonly usesAddress: boolean;
  /** Some entry has FQDN peers (the peer's DNS names matter). */
  readonly usesNames: boolean;
  /** Some entry has named ports (the destination's named ports matter). */
  readonly usesNamedPorts: boolean;
  /** Indexes of denies and allows by peer, built for long lists on first use. */
  denyIndex?: SelectorIndex;
  allowIndex?: SelectorIndex;
}

/** One cached decision of an endpoint, and its audit-mode variant once asked for. */
export interface CachedDecision {
  readonly plain: DirectionResult;
  audited?: DirectionResult;
}

/** The entries of `candidates` (rules that may select `id`) that select it in one direction. */
export function selectionOf(
  candidates: readonly CompiledRule[],
  id: Identity,
  direction: Direction,
): Selection {
  const denies: Entry[] = [];
  const allows: Entry[] = [];
  const refs: RuleRef[] = [];
  let defaultDeny = false;
  let dnsRule = false;
  for (const rule of candidates) {
    const entries = rule.entries[direction];
    if (entries.length === 0 || !rule.subject.matches(id)) continue;
    for (const e of entries) {
      (e.deny ? denies : allows).push(e);
      if (e.dnsRule) dnsRule = true;
    }
    if (rule.defaultDeny[direction]) {
      defaultDeny = true;
      refs.push(...defaultDenySections(rule, direction));
    }
  }
  const all = [...denies, ...allows];
  // (Copies of their size: selections are kept for the run, and lists grown by `push` keep room.)
  return {
    denies: denies.slice(),
    allows: allows.slice(),
    hasEntries: all.length > 0,
    defaultDeny,
    defaultDenyRefs: refs.slice(),
    dnsRule,
    usesAddress: all.some((e) => e.peers.kind === 'list' && e.peers.cidrs.length > 0),
    usesNames: allows.some((e) => e.peers.kind === 'list' && e.peers.fqdns.length > 0),
    usesNamedPorts: all.some((e) => e.l4?.ports.some((p) => p.name !== undefined)),
  };
}

function defaultDenySections(rule: CompiledRule, direction: Direction): RuleRef[] {
  return rule.sections[direction].map((path) => ({
    kind: rule.source.kind,
    ...(rule.namespace ? { namespace: rule.namespace } : {}),
    name: rule.source.name,
    path,
  }));
}

/** Entries shorter than this are tested one by one; longer lists are indexed by peer. */
const INDEX_ENTRIES_FROM = 16;

/** The entries of a selection that may match the peer, in order (the others match no flow from it). */
export function candidateEntries(
  sel: Selection,
  list: 'denies' | 'allows',
  peerId: Identity,
): readonly Entry[] {
  const entries = sel[list];
  if (entries.length < INDEX_ENTRIES_FROM) return entries;
  const key = list === 'denies' ? 'denyIndex' : 'allowIndex';
  const index = (sel[key] ??= new SelectorIndex(entries.length, (i) => entrySelectors(entries[i])));
  return index.candidates(peerId).map((i) => entries[i]);
}
