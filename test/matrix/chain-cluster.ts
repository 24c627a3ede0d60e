import { KubeManifest } from '../../lib/manifest/types';
import { generatedDeployment } from '../../bench/matrix-cluster';

/**
 * A cluster whose namespaces talk to each other: Deployment `app<i>` in `ns<i % namespaces>`, each
 * admitting the app before it (in the previous namespace) and its namespace's first app. Its
 * namespace overview has an edge from every namespace to the next.
 */
export function chainCluster(WORKLOADS: number, NAMESPACES: number): KubeManifest[] {
  const out: KubeManifest[] = [];
  for (let i = 0; i < WORKLOADS; i++) {
    const ns = `ns${i % NAMESPACES}`;
    const labels = { app: `app${i}` };
    out.push(generatedDeployment(`app${i}`, ns, labels, 8080));
    // Each app admits the app of the same index in the previous namespace, and its own namespace's first app.
    const prev = `app${(i + WORKLOADS - 1) % WORKLOADS}`;
    out.push({
      apiVersion: 'cilium.io/v2',
      kind: 'CiliumNetworkPolicy',
      metadata: { name: `app${i}`, namespace: ns },
      spec: {
        endpointSelector: { matchLabels: labels },
        ingress: [
          {
            fromEndpoints: [
              {
                matchLabels: {
                  app: prev,
                  'k8s:io.kubernetes.pod.namespace': `ns${((i + WORKLOADS - 1) % WORKLOADS) % NAMESPACES}`,
                },
              },
            ],
            toPorts: [{ ports: [{ port: '8080', protocol: 'TCP' }] }],
          },
          {
            fromEndpoints: [{ matchLabels: { app: `app${i % NAMESPACES}` } }],
            toPorts: [{ ports: [{ port: '8080', protocol: 'TCP' }] }],
          },
        ],
      },
    });
  }
  return out;
}
