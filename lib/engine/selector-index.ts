import { CLUSTER_KEY, NAMESPACE_KEY } from '../cilium/labels';
import { Requirement } from '../cilium/requirements';
import { Identity } from './identity';
import { Entry } from './model';
import { CompiledSelector } from './selector';

/**
 * Finds, among many items that each apply only to identities matched by some selectors, the
 * few that may apply to one identity, without testing every item. Each selector is filed under
 * the values of one of its `In` requirements (a label the identity must carry); an item with a
 * selector that has none is a candidate for every identity. Candidates are a superset of the
 * items whose selectors match, returned in item order, so callers test them as before.
 */
export class SelectorIndex {
  /** Items by label key, then value (no key text to build per label looked up). */
  private readonly byLabel = new Map<string, Map<string, number[]>>();
  private readonly always: number[] = [];

  /** `selectorsOf(i)`: the selectors of item i, or undefined when it may apply to any identity. */
  constructor(count: number, selectorsOf: (i: number) => readonly CompiledSelector[] | undefined) {
    for (let i = 0; i < count; i++) {
      const selectors = selectorsOf(i);
      const anchors = selectors?.map(anchorOf);
      if (!anchors || anchors.some((a) => a === undefined)) {
        this.always.push(i);
        continue;
      }
      for (const a of anchors) for (const v of a!.values) this.file(a!.key, v, i);
    }
  }

  /** Files item i under a label (once, however many of its selectors share that label). */
  private file(key: string, value: string, i: number): void {
    let byValue = this.byLabel.get(key);
    if (!byValue) this.byLabel.set(key, (byValue = new Map()));
    const list = byValue.get(value);
    if (!list) byValue.set(value, [i]);
    else if (list[list.length - 1] !== i) list.push(i);
  }

  /** Indices of the items that may apply to `id`, ascending. */
  candidates(id: Identity): number[] {
    let out: number[] | undefined;
    let lists = 0;
    for (const l of id.labels) {
      const list = this.byLabel.get(l.key)?.get(l.value);
      if (!list) continue;
      lists++;
      out = out ? out.concat(list) : list;
    }
    if (lists === 0) return this.always;
    out = this.always.length > 0 ? out!.concat(this.always) : out!;
    if (lists === 1 && this.always.length === 0) return out;
    // An item filed under several of the identity's labels appears once.
    return [...new Set(out)].sort((a, b) => a - b);
  }
}

/** The most selective `In` requirement of a selector: an app label before the namespace or cluster. */
function anchorOf(sel: CompiledSelector): Requirement | undefined {
  let best: Requirement | undefined;
  for (const r of sel.requirements) {
    if (r.operator !== 'In' || r.values.length === 0) continue;
    const broad = r.key === NAMESPACE_KEY || r.key === CLUSTER_KEY;
    if (
      !best ||
      (!broad && (best.key === NAMESPACE_KEY || best.key === CLUSTER_KEY)) ||
      (!broad && r.values.length < best.values.length)
    )
      best = r;
  }
  return best;
}

/** The selectors an entry's peers are limited to, or undefined when CIDRs, names or other peers may match too. */
export function entrySelectors(e: Entry): readonly CompiledSelector[] | undefined {
  const p = e.peers;
  if (p.kind !== 'list' || p.cidrs.length > 0 || p.fqdns.length > 0 || p.opaque.length > 0) return undefined;
  return p.selectors;
}
