import { CCNP_KIND, CILIUM_API_VERSION, CNP_KIND, KubeManifest } from '../../manifest/types';

/** A CiliumNetworkPolicy for rule examples and tests. */
export function cnp(
  name: string,
  spec: Record<string, unknown>,
  namespace = 'default',
  extra: Record<string, unknown> = {},
): KubeManifest {
  return { apiVersion: CILIUM_API_VERSION, kind: CNP_KIND, metadata: { name, namespace }, spec, ...extra };
}

/** A CiliumClusterwideNetworkPolicy for rule examples and tests. */
export function ccnp(name: string, spec: Record<string, unknown>): KubeManifest {
  return { apiVersion: CILIUM_API_VERSION, kind: CCNP_KIND, metadata: { name }, spec };
}

/** The DNS egress rule every FQDN policy needs (kube-dns, DNS proxy on). */
export const KUBE_DNS_EGRESS = {
  toEndpoints: [
    { matchLabels: { 'k8s:io.kubernetes.pod.namespace': 'kube-system', 'k8s:k8s-app': 'kube-dns' } },
  ],
  toPorts: [{ ports: [{ port: '53', protocol: 'ANY' }], rules: { dns: [{ matchPattern: '*' }] } }],
};

export const APP_WEB = { matchLabels: { app: 'web' } };

export function tcp(port: string | number): { ports: Array<{ port: string; protocol: string }> } {
  return { ports: [{ port: String(port), protocol: 'TCP' }] };
}
