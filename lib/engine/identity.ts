import { classifyIdentity } from '../cilium/identity-class';
import { isIdentityLabel } from '../cilium/identity-labels';
import { Label, CLUSTER_KEY, NAMESPACE_KEY, formatLabel, parseLabel } from '../cilium/labels';
import { LabelIndex } from './selector';
import type { Selection } from './selection';
import { DirectionResult, FlowPeer } from './types';

/**
 * One security identity: the identity-relevant labels of a flow peer (filtered as Cilium does,
 * plus the implicit cluster label of pods), with per-identity caches.
 */
export class Identity implements LabelIndex {
  /** Sorted by their `source:key=value` text, each once. */
  readonly labels: readonly Label[];
  /** Normalized key: sorted `source:key=value` lines. */
  readonly key: string;
  readonly namespace?: string;
  readonly isPod: boolean;
  readonly isHost: boolean;
  readonly isInit: boolean;
  /** Not mapped to a cluster identity: CIDR rules and FQDNs apply (docs/cilium-semantics.md, "CIDR and FQDN peers"). */
  readonly isWorld: boolean;
  readonly isNode: boolean;
  /** Managed when FlowPeer.managed is unset (see FlowPeer.managed). */
  readonly managedByDefault: boolean;
  /** The selection of each direction, filled lazily by the engine. */
  ingress?: Selection;
  egress?: Selection;
  /** The decisions of each direction, keyed by peer and port, filled by the engine. */
  ingressDecisions?: Decisions;
  egressDecisions?: Decisions;
  /** Per-direction result for an end that does not enforce (FlowPeer.managed false). */
  unmanaged?: { ingress?: DirectionResult; egress?: DirectionResult };
  /** Small integer naming this identity within its table. */
  num = -1;

  constructor(rawLabels: readonly string[], clusterName: string) {
    const parsed: Label[] = [];
    let isPod = false;
    let hasCluster = false;
    for (const text of rawLabels) {
      const l = parseLabel(text);
      if (!isIdentityLabel(l)) continue;
      parsed.push(l);
      if (l.key === NAMESPACE_KEY) isPod ||= l.source === 'k8s';
      else if (l.key === CLUSTER_KEY) hasCluster = true;
    }
    if (isPod && !hasCluster) parsed.push({ source: 'k8s', key: CLUSTER_KEY, value: clusterName });
    const { labels, texts } = sortedOnce(parsed);
    this.labels = labels;
    this.key = texts.join('\n');
    const kind = classifyIdentity(labels);
    this.namespace = kind.namespace;
    this.isPod = isPod;
    this.isHost = kind.reserved.includes('host');
    this.isInit = kind.reserved.includes('init');
    this.isNode = this.isHost || kind.reserved.includes('remote-node');
    this.isWorld = kind.isWorld;
    this.managedByDefault = kind.managedByDefault;
  }
}

/**
 * The decisions of one direction of one identity, by peer and port: the first kept inline (most
 * identities of a verification or a small replay are asked once), the others in a map.
 */
export class Decisions {
  private firstKey?: number | string;
  private first?: DirectionResult;
  private more?: Map<number | string, DirectionResult>;

  get(key: number | string): DirectionResult | undefined {
    return key === this.firstKey ? this.first : this.more?.get(key);
  }

  set(key: number | string, decision: DirectionResult): void {
    if (this.first === undefined) {
      this.firstKey = key;
      this.first = decision;
    } else (this.more ??= new Map()).set(key, decision);
  }
}

/** Labels ordered by their text, each once, and those texts (flows usually list them so already). */
function sortedOnce(labels: readonly Label[]): { labels: readonly Label[]; texts: string[] } {
  const texts = labels.map(formatLabel);
  let ordered = 1;
  while (ordered < texts.length && texts[ordered - 1] < texts[ordered]) ordered++;
  if (ordered >= texts.length) return { labels, texts };
  // A pod's labels with the cluster label appended: put that one in its place.
  if (ordered === texts.length - 1) return withLastInPlace(labels, texts);
  const byText = new Map<string, Label>();
  labels.forEach((l, i) => byText.set(texts[i], l));
  const sorted = [...byText.keys()].sort();
  return { labels: sorted.map((t) => byText.get(t)!), texts: sorted };
}

/** `sortedOnce` of labels whose texts are in order but for the last. */
function withLastInPlace(
  labels: readonly Label[],
  texts: string[],
): { labels: readonly Label[]; texts: string[] } {
  const n = texts.length - 1;
  const last = texts[n];
  let at = 0;
  while (at < n && texts[at] < last) at++;
  // The same text is the same label: kept once.
  if (texts[at] === last) return { labels: labels.slice(0, n), texts: texts.slice(0, n) };
  const sortedLabels = labels.slice(0, n);
  sortedLabels.splice(at, 0, labels[n]);
  texts.splice(at, 0, last);
  texts.length = n + 1;
  return { labels: sortedLabels, texts };
}

/** Interns identities by label set so caches are shared across flows. */
export class IdentityTable {
  private readonly byArray = new WeakMap<readonly string[], Identity>();
  private readonly byKey = new Map<string, Identity>();

  constructor(private readonly clusterName: string) {}

  /** (A label list not seen before is parsed: callers pass the same list for the same labels.) */
  of(peer: FlowPeer): Identity {
    const labels = peer.labels;
    let id = this.byArray.get(labels);
    if (id) return id;
    const fresh = new Identity(labels, this.clusterName);
    id = this.byKey.get(fresh.key);
    if (!id) {
      id = fresh;
      id.num = this.byKey.size;
      this.byKey.set(id.key, id);
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
