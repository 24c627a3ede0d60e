import { stringify } from 'yaml';
import { DiffInput } from '../../lib/diff/model';
import { KubeManifest, SourcedManifest } from '../../lib/manifest/types';
import { SynthManifest } from '../support/synth';

/** Hand-made manifests for base/head pairs. */

export function deployment(
  namespace: string,
  name: string,
  ports: number[] = [],
  labels: Record<string, string> = { app: name },
): KubeManifest {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace },
    spec: {
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: {
          containers: [
            { name, image: `${name}:1`, ports: ports.map((containerPort) => ({ containerPort })) },
          ],
        },
      },
    },
  };
}

export function cnp(namespace: string, name: string, spec: Record<string, unknown>): SynthManifest {
  return { apiVersion: 'cilium.io/v2', kind: 'CiliumNetworkPolicy', metadata: { name, namespace }, spec };
}

export function ccnp(name: string, spec: Record<string, unknown>): SynthManifest {
  return { apiVersion: 'cilium.io/v2', kind: 'CiliumClusterwideNetworkPolicy', metadata: { name }, spec };
}

export function tcp(...ports: number[]): unknown[] {
  return [{ ports: ports.map((p) => ({ port: String(p), protocol: 'TCP' })) }];
}

export const from = (namespace: string, labels: Record<string, string>) => ({
  matchLabels: { ...labels, 'k8s:io.kubernetes.pod.namespace': namespace },
});

/** webapp (3000) and postgres (5432) in webapp, blog (80) in blog, worker in webapp. */
export const WORKLOADS: KubeManifest[] = [
  deployment('webapp', 'webapp', [3000]),
  deployment('webapp', 'postgres', [5432]),
  deployment('webapp', 'worker'),
  deployment('blog', 'blog', [80]),
];

/** postgres accepts only webapp on 5432. */
export const POSTGRES_POLICY = cnp('webapp', 'postgres', {
  endpointSelector: { matchLabels: { app: 'postgres' } },
  ingress: [{ fromEndpoints: [from('webapp', { app: 'webapp' })], toPorts: tcp(5432) }],
});

/** webapp may reach postgres on 5432 and nothing else (plus DNS). */
export const WEBAPP_EGRESS = cnp('webapp', 'webapp-egress', {
  endpointSelector: { matchLabels: { app: 'webapp' } },
  egress: [
    { toEndpoints: [from('webapp', { app: 'postgres' })], toPorts: tcp(5432) },
    {
      toEndpoints: [from('kube-system', { 'k8s-app': 'kube-dns' })],
      toPorts: [{ ports: [{ port: '53', protocol: 'ANY' }], rules: { dns: [{ matchPattern: '*' }] } }],
    },
  ],
});

/** As files would give them: one file per side, a line per document. */
export function sourced(file: string, manifests: readonly KubeManifest[]): SourcedManifest[] {
  return manifests.map((manifest, i) => ({ manifest, file, line: 1 + i * 100 }));
}

export function pair(base: readonly KubeManifest[], head: readonly KubeManifest[]): DiffInput {
  return { base: sourced('base/dist.yaml', base), head: sourced('head/dist.yaml', head) };
}

export function multiDoc(manifests: readonly KubeManifest[]): string {
  return manifests.map((m) => stringify(m)).join('---\n');
}
