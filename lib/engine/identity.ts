import { RESERVED_ENTITY_LABELS } from '../cilium/entities';
import { isIdentityLabel } from '../cilium/identity-labels';
import { Label, CLUSTER_KEY, NAMESPACE_KEY, formatLabel, parseLabel } from '../cilium/labels';
import { LabelIndex } from './selector';
import { FlowPeer } from './types';

const WORLD_LABELS = new Set(RESERVED_ENTITY_LABELS.world);
const SELF_ENFORCING_RESERVED = new Set(['health', 'ingress', 'init']);

/**
 * One security identity: the identity-relevant labels of a flow peer (filtered as Cilium does,
 * plus the implicit cluster label of pods), with per-identity caches.
 */
export class Identity implements LabelIndex {
  readonly labels: readonly Label[];
  /** Normalized key: sorted `source:key=value` lines. */
  readonly key: string;
  readonly byKey: Map<string, Label[]> = new Map();
  readonly namespace?: string;
  readonly reserved: ReadonlySet<string>;
  readonly isPod: boolean;
  readonly isHost: boolean;
  readonly isInit: boolean;
  /** Not mapped to a cluster identity: CIDR rules and FQDNs apply (section 1.7). */
  readonly isWorld: boolean;
  readonly isNode: boolean;
  /** Managed when FlowPeer.managed is unset (see FlowPeer.managed). */
  readonly managedByDefault: boolean;
  /** Selector id -> 0 unknown, 1 no, 2 yes. */
  selectorMatches: Uint8Array;
  /** Per-direction selection, filled lazily by the engine. */
  readonly selections: { ingress?: unknown; egress?: unknown } = {};
  /** Per-direction decision cache, keyed by peer and port, filled by the engine. */
  decisions: { ingress?: Map<number | string, unknown>; egress?: Map<number | string, unknown> } = {};
  /** Per-direction result for an end that does not enforce (FlowPeer.managed false). */
  readonly unmanaged: { ingress?: unknown; egress?: unknown } = {};
  /** Small integer naming this identity within its table. */
  num = -1;

  constructor(rawLabels: readonly string[], clusterName: string, selectorCount: number) {
    const parsed = rawLabels.map(parseLabel).filter(isIdentityLabel);
    const isPod = parsed.some((l) => l.source === 'k8s' && l.key === NAMESPACE_KEY);
    if (isPod && !parsed.some((l) => l.key === CLUSTER_KEY)) {
      parsed.push({ source: 'k8s', key: CLUSTER_KEY, value: clusterName });
    }
    const seen = new Map<string, Label>();
    for (const l of parsed) seen.set(formatLabel(l), l);
    const keys = [...seen.keys()].sort();
    this.labels = keys.map((k) => seen.get(k)!);
    this.key = keys.join('\n');
    for (const l of this.labels) {
      const list = this.byKey.get(l.key);
      if (list) list.push(l);
      else this.byKey.set(l.key, [l]);
    }
    this.namespace = this.labels.find((l) => l.source === 'k8s' && l.key === NAMESPACE_KEY)?.value;
    this.reserved = new Set(this.labels.filter((l) => l.source === 'reserved').map((l) => l.key));
    this.isPod = isPod;
    this.isHost = this.reserved.has('host');
    this.isInit = this.reserved.has('init');
    this.isNode = this.isHost || this.reserved.has('remote-node');
    this.isWorld =
      [...this.reserved].some((r) => WORLD_LABELS.has(r)) ||
      this.labels.some((l) => l.source === 'cidr' || l.source === 'fqdn') ||
      this.labels.length === 0;
    this.managedByDefault = isPod || [...this.reserved].some((r) => SELF_ENFORCING_RESERVED.has(r));
    this.selectorMatches = new Uint8Array(selectorCount);
  }
}

/** Interns identities by label set so caches are shared across flows. */
export class IdentityTable {
  private readonly byArray = new WeakMap<readonly string[], Identity>();
  private readonly byRaw = new Map<string, Identity>();
  private readonly byKey = new Map<string, Identity>();

  constructor(
    private readonly clusterName: string,
    private readonly selectorCount: number,
  ) {}

  of(peer: FlowPeer): Identity {
    const labels = peer.labels;
    const hit = this.byArray.get(labels);
    if (hit) return hit;
    const raw = labels.join('\u0000');
    let id = this.byRaw.get(raw);
    if (!id) {
      const fresh = new Identity(labels, this.clusterName, this.selectorCount);
      id = this.byKey.get(fresh.key) ?? fresh;
      if (id === fresh) id.num = this.byKey.size;
      this.byKey.set(id.key, id);
      this.byRaw.set(raw, id);
    }
    this.byArray.set(labels, id);
    return id;
  }

  forEach(fn: (id: Identity) => void): void {
    this.byKey.forEach(fn);
  }

  get size(): number {
    return this.byKey.size;
  }
}
