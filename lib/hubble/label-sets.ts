import { CLUSTER_KEY, K8S_NAMESPACE_KEY } from '../cilium/labels';
import { HubbleEndpoint } from './flow-json';

const CLUSTER_LABEL = `k8s:${CLUSTER_KEY}=`;

/**
 * The endpoint's identity labels. Hubble 1.16+ may leave the pod's namespace (and cluster) out
 * of the labels and carry them in the endpoint's `namespace` and `cluster_name` fields; they
 * are part of the pod's identity, so they are put back as the labels Cilium gives pods.
 */
export function identityLabels(ep: HubbleEndpoint): string[] {
  const labels = [...(ep.labels ?? [])];
  const isReserved = labels.some((l) => l.startsWith('reserved:'));
  if (ep.namespace && !isReserved && !labels.some((l) => l.startsWith(`${K8S_NAMESPACE_KEY}=`))) {
    labels.push(`${K8S_NAMESPACE_KEY}=${ep.namespace}`);
    if (ep.cluster_name && !labels.some((l) => l.startsWith(CLUSTER_LABEL)))
      labels.push(`${CLUSTER_LABEL}${ep.cluster_name}`);
  }
  return labels.sort();
}

/** The identity labels of an endpoint, canonical (sorted, namespace and cluster filled in) and numbered. */
export interface LabelSet {
  readonly labels: readonly string[];
  /** Small integer, the same for equal label sets for the whole run. */
  readonly id: number;
  /** A pod (has the namespace label). */
  readonly isPod: boolean;
  /** Has a pod namespace, reserved or CIDR label (so `ID` does not make it an unlabelled endpoint). */
  readonly labelled: boolean;
  /** The value of its cluster label, if it has one. */
  readonly cluster?: string;
}

interface Recent {
  readonly raw: readonly string[];
  readonly namespace: string | undefined;
  readonly cluster: string | undefined;
  readonly set: LabelSet;
  /** The identity number's other recent label lists. */
  more?: Recent[];
}

const RECENT_PER_IDENTITY = 8;

/**
 * Interns endpoint label sets so that a line costs no sorting, copying or long keys: the last
 * few raw label lists seen per security identity number are compared element by element
 * (never trusted by number alone), and equal sets share one array and one id. The lists kept
 * share one string per distinct label, so a comparison mostly reads strings in the cache.
 */
export class LabelSets {
  private readonly byKey = new Map<string, LabelSet>();
  private readonly recent = new Map<number, Recent>();
  private readonly strings = new Map<string, string>();

  get size(): number {
    return this.byKey.size;
  }

  of(ep: HubbleEndpoint): LabelSet {
    const raw = ep.labels ?? [];
    const identity = ep.identity ?? -1;
    const first = this.recent.get(identity);
    if (first) {
      if (isRecent(first, ep, raw)) return first.set;
      if (first.more) for (const r of first.more) if (isRecent(r, ep, raw)) return r.set;
    }
    const set = this.labelSet(ep);
    const entry: Recent = {
      raw: raw.map((l) => this.shared(l)),
      namespace: ep.namespace,
      cluster: ep.cluster_name,
      set,
    };
    if (!first) this.recent.set(identity, entry);
    else if (!first.more) first.more = [entry];
    else if (first.more.length < RECENT_PER_IDENTITY - 1) first.more.push(entry);
    else first.more[(set.id + raw.length) % (RECENT_PER_IDENTITY - 1)] = entry;
    return set;
  }

  private labelSet(ep: HubbleEndpoint): LabelSet {
    const labels = identityLabels(ep).map((l) => this.shared(l));
    const key = labels.join('\n');
    let set = this.byKey.get(key);
    if (!set) {
      const isPod = labels.some((l) => l.startsWith(`${K8S_NAMESPACE_KEY}=`));
      const cluster = labels.find((l) => l.startsWith(CLUSTER_LABEL))?.slice(CLUSTER_LABEL.length);
      set = {
        labels,
        id: this.byKey.size,
        isPod,
        labelled: isPod || labels.some((l) => l.startsWith('reserved:') || l.startsWith('cidr:')),
        ...(cluster !== undefined ? { cluster } : {}),
      };
      this.byKey.set(key, set);
    }
    return set;
  }

  /** The one string kept for a label. */
  private shared(label: string): string {
    let s = this.strings.get(label);
    if (s === undefined) this.strings.set(label, (s = label));
    return s;
  }
}

function isRecent(r: Recent, ep: HubbleEndpoint, raw: readonly string[]): boolean {
  return r.namespace === ep.namespace && r.cluster === ep.cluster_name && sameList(r.raw, raw);
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
