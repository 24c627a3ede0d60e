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
}

const RECENT_PER_IDENTITY = 8;

/**
 * Interns endpoint label sets so that a line costs no sorting, copying or long keys: the last
 * few raw label lists seen per security identity number are compared element by element
 * (never trusted by number alone), and equal sets share one array and one id.
 */
export class LabelSets {
  private readonly byKey = new Map<string, LabelSet>();
  private readonly recent = new Map<number, Recent[]>();

  get size(): number {
    return this.byKey.size;
  }

  of(ep: HubbleEndpoint): LabelSet {
    const raw = ep.labels ?? [];
    const identity = ep.identity ?? -1;
    const bucket = this.recent.get(identity);
    if (bucket) {
      for (const r of bucket) {
        if (r.namespace === ep.namespace && r.cluster === ep.cluster_name && sameList(r.raw, raw))
          return r.set;
      }
    }
    const labels = identityLabels(ep);
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
    const entry: Recent = { raw: [...raw], namespace: ep.namespace, cluster: ep.cluster_name, set };
    if (!bucket) this.recent.set(identity, [entry]);
    else if (bucket.length < RECENT_PER_IDENTITY) bucket.push(entry);
    else bucket[(set.id + raw.length) % RECENT_PER_IDENTITY] = entry;
    return set;
  }
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
