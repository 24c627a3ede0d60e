import { KubeManifest } from '../lib/manifest/types';

/**
 * The generated cluster of the matrix bench (and of the tests that check its map): N Deployments
 * across N/5 namespaces, P CNPs of the same shape.
 */

export function clusterNamespaces(workloads: number): number {
  return Math.max(1, Math.round(workloads / 5));
}

/** A Deployment of pods with `labels` and one container exposing `containerPort`. */
export function generatedDeployment(
  name: string,
  namespace: string,
  labels: Record<string, string>,
  containerPort: number,
): KubeManifest {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace },
    spec: {
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: { containers: [{ name: 'c', ports: [{ containerPort }] }] },
      },
    },
  };
}

/** Deployment `app<i>` in namespace `ns<i % namespaces>`. */
export function clusterWorkload(i: number, workloads: number): KubeManifest {
  const labels = { app: `app${i}`, tier: i % 3 === 0 ? 'web' : 'backend' };
  return generatedDeployment(`app${i}`, `ns${i % clusterNamespaces(workloads)}`, labels, 8000 + (i % 7));
}

/** CNP `p<j>`: selects one app, admits the previous app of its namespace on its port, egress to DNS (and an FQDN for every fifth). */
export function clusterPolicy(j: number, workloads: number): KubeManifest {
  const NAMESPACES = clusterNamespaces(workloads);
  const i = j % workloads;
  const ns = `ns${i % NAMESPACES}`;
  const prev = i - NAMESPACES >= 0 ? i - NAMESPACES : i;
  return {
    apiVersion: 'cilium.io/v2',
    kind: 'CiliumNetworkPolicy',
    metadata: { name: `p${j}`, namespace: ns },
    spec: {
      endpointSelector: { matchLabels: { app: `app${i}` } },
      ingress: [
        {
          fromEndpoints: [{ matchLabels: { app: `app${prev}` } }],
          toPorts: [{ ports: [{ port: String(8000 + (i % 7)), protocol: 'TCP' }] }],
        },
      ],
      egress: [
        {
          toEndpoints: [
            { matchLabels: { 'k8s:io.kubernetes.pod.namespace': 'kube-system', 'k8s-app': 'kube-dns' } },
          ],
          toPorts: [{ ports: [{ port: '53', protocol: 'UDP' }] }],
        },
        ...(j % 5 === 0
          ? [
              {
                toFQDNs: [{ matchName: `api${j % 3}.example.com` }],
                toPorts: [{ ports: [{ port: '443', protocol: 'TCP' }] }],
              },
            ]
          : []),
      ],
    },
  };
}
