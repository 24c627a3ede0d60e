import { isIdentityLabelKey } from './identity-labels';
import {
  CLUSTER_KEY,
  Label,
  NAMESPACE_KEY,
  NAMESPACE_LABELS_PREFIX,
  NAMESPACE_NAME_LABEL,
  SERVICE_ACCOUNT_KEY,
} from './labels';

export interface PodIdentityProps {
  readonly namespace: string;
  /** The pod template's labels; the ones Cilium's label filter drops are left out. */
  readonly podLabels?: Readonly<Record<string, string>>;
  readonly serviceAccount: string;
  /** The namespace's labels; `kubernetes.io/metadata.name` is always there. */
  readonly namespaceLabels?: Readonly<Record<string, string>>;
  /** @default - no cluster label (the engine adds the one it evaluates with) */
  readonly clusterName?: string;
}

/**
 * The identity labels Cilium gives a pod (all `k8s:`-sourced): its own labels that pass the label
 * filter, its namespace, each namespace label, its service account and, when given, its cluster
 * (docs/cilium-semantics.md, "Selectors").
 */
export function podIdentityLabels(props: PodIdentityProps): Label[] {
  const labels: Label[] = [];
  for (const [key, value] of Object.entries(props.podLabels ?? {})) {
    if (isIdentityLabelKey(key)) labels.push({ source: 'k8s', key, value });
  }
  labels.push({ source: 'k8s', key: NAMESPACE_KEY, value: props.namespace });
  labels.push({ source: 'k8s', key: SERVICE_ACCOUNT_KEY, value: props.serviceAccount });
  if (props.clusterName !== undefined)
    labels.push({ source: 'k8s', key: CLUSTER_KEY, value: props.clusterName });
  const namespaceLabels = { [NAMESPACE_NAME_LABEL]: props.namespace, ...props.namespaceLabels };
  for (const [key, value] of Object.entries(namespaceLabels))
    labels.push({ source: 'k8s', key: `${NAMESPACE_LABELS_PREFIX}${key}`, value });
  return labels;
}
