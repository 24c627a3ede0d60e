import { classifyIdentity } from '../cilium/identity-class';
import { isIdentityLabel } from '../cilium/identity-labels';
import { Label, CLUSTER_KEY, NAMESPACE_KEY, formatLabel, parseLabel } from '../cilium/labels';
import { LabelIndex } from './selector';
import type { CachedDecision, Selection } from './selection';
import { DirectionResult, FlowPeer } from './types';

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
  /** Not mapped to a cluster identity: CIDR rules and FQDNs apply (docs/cilium-semantics.md, "CIDR and FQDN peers"). */
  readonly isWorld: boolean;
  readonly isNode: boolean;
  /** Managed when FlowPeer.managed is unset (see FlowPeer.managed). */
  readonly managedByDefault: boolean;
  /** Selector id -> 0 unknown, 1 no, 2 yes. */
  selectorMatches: Uint8Array;
  /** Per-direction selection, filled lazily by the engine. */
  readonly selections: { ingress?: Selection; egress?: Selection } = {};
  /** Per-direction decision cache, keyed by peer and port, filled by the engine. */
  decisions: {
    ingress?: Map<number | string, CachedDecision>;
    egress?: Map<number | string, CachedDecision>;
  } = {};
  /** Per-direction result for an end that does not enforce (FlowPeer.managed false). */
  readonly unmanaged: { ingress?: DirectionResult; egress?: DirectionResult } = {};
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
    const kind = classifyIdentity(this.labels);
    this.namespace = kind.namespace;
    this.reserved = new Set(kind.reserved);
    this.isPod = isPod;
    this.isHost = this.reserved.has('host');
    this.isInit = this.reserved.has('init');
    this.isNode = this.isHost || this.reserved.has('remote-node');
    this.isWorld = kind.isWorld;
    this.managedByDefault = kind.managedByDefault;
    this.selectorMatches = matchCache(selectorCount);
  }
}

/** Bytes of one shared buffer the selector match caches are cut from. */
const SLAB_BYTES = 1 << 20;
let slab = new Uint8Array(0);
let slabUsed = 0;
/** The cache of an identity built without selectors to match (nothing can be written to it). */
const NO_SELECTORS = new Uint8Array(0);

/**
 * A zeroed selector match cache of `size` bytes, cut from a shared buffer: one allocation for
 * many identities rather than one each (thousands of identities, thousands of selectors).
 */
function matchCache(size: number): Uint8Array {
  if (size === 0) return NO_SELECTORS;
  if (size > SLAB_BYTES / 8) return new Uint8Array(size);
  if (slabUsed + size > slab.length) {
    slab = new Uint8Array(SLAB_BYTES);
    slabUsed = 0;
  }
  slabUsed += size;
  return slab.subarray(slabUsed - size, slabUsed);
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
