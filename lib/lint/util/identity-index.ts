import { Label } from '../../cilium/labels';
import { Requirement } from '../../cilium/requirements';
import { requirementsMatch } from './selector';

/**
 * Items with identity labels, indexed by `key=value` so that selectors with an equality
 * requirement only test the few candidates carrying that label.
 */
export class IdentityIndex<T> {
  private readonly all: Array<{ identity: readonly Label[]; item: T }> = [];
  private readonly byLabel = new Map<string, Array<{ identity: readonly Label[]; item: T }>>();

  add(identity: readonly Label[], item: T): void {
    const entry = { identity, item };
    this.all.push(entry);
    for (const l of identity) {
      for (const k of [`${l.source}:${l.key}=${l.value}`, `any:${l.key}=${l.value}`]) {
        const list = this.byLabel.get(k);
        if (list) {
          if (list[list.length - 1] !== entry) list.push(entry);
        } else this.byLabel.set(k, [entry]);
      }
    }
  }

  /** Items whose identity matches every requirement, in insertion order. */
  match(reqs: readonly Requirement[]): T[] {
    let candidates = this.all;
    for (const r of reqs) {
      if (r.operator !== 'In') continue;
      const union = r.values.flatMap((v) => this.byLabel.get(`${r.source}:${r.key}=${v}`) ?? []);
      if (union.length < candidates.length) candidates = r.values.length > 1 ? [...new Set(union)] : union;
    }
    return candidates.filter((c) => requirementsMatch(reqs, c.identity)).map((c) => c.item);
  }
}
