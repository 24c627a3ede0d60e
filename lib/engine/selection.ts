import { Identity } from './identity';
import { ListTrie } from './list-trie';
import { CompiledRule, Entry, NO_ITEMS } from './model';
import { entrySelectors, SelectorIndex } from './selector-index';
import { Direction, RuleRef } from './types';

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

/**
 * One selection per distinct list of selecting rules, shared by the identities those rules
 * select (a namespace's pods are mostly selected by the same few rules).
 */
export class Selections {
  private readonly tries = {
    ingress: new ListTrie<CompiledRule, Selection>(),
    egress: new ListTrie<CompiledRule, Selection>(),
  };

  /** The selection of `rules` (the rules selecting an identity, in rule order) in one direction. */
  of(rules: readonly CompiledRule[], direction: Direction): Selection {
    return this.tries[direction].of(rules, () => selectionOf(rules, direction));
  }
}

/** The entries of `rules` (the rules selecting an identity) in one direction. */
function selectionOf(rules: readonly CompiledRule[], direction: Direction): Selection {
  const denies: Entry[] = [];
  const allows: Entry[] = [];
  let refs: readonly RuleRef[] = NO_ITEMS;
  let defaultDeny = false;
  const uses = { dnsRule: false, usesAddress: false, usesNames: false, usesNamedPorts: false };
  for (const rule of rules) {
    for (const e of rule.entries[direction]) {
      (e.deny ? denies : allows).push(e);
      noteUses(e, uses);
    }
    if (rule.defaultDeny[direction]) {
      defaultDeny = true;
      const sections = rule.sections[direction];
      refs = refs.length === 0 ? sections : [...refs, ...sections];
    }
  }
  return {
    denies: exact(denies),
    allows: exact(allows),
    hasEntries: denies.length + allows.length > 0,
    defaultDeny,
    defaultDenyRefs: refs,
    ...uses,
  };
}

/**
 * A list of its own size (selections are kept for the run, and a list grown by `push` keeps
 * room); empty lists are one shared list.
 */
function exact<T>(list: T[]): readonly T[] {
  return list.length === 0 ? NO_ITEMS : list.slice();
}

/** What the entry makes a decision read besides the peer's identity and port. */
function noteUses(
  e: Entry,
  uses: { dnsRule: boolean; usesAddress: boolean; usesNames: boolean; usesNamedPorts: boolean },
): void {
  if (e.dnsRule) uses.dnsRule = true;
  if (e.peers.kind === 'list') {
    if (e.peers.cidrs.length > 0) uses.usesAddress = true;
    if (!e.deny && e.peers.fqdns.length > 0) uses.usesNames = true;
  }
  if (e.l4?.ports.some((p) => p.name !== undefined)) uses.usesNamedPorts = true;
}

/** Lists of entries (or rules) shorter than this are tested one by one; longer lists are indexed. */
export const INDEX_ENTRIES_FROM = 16;

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
