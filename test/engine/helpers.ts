import { KubeManifest } from '../../lib/manifest/types';
import { PolicyEngine } from '../../lib/engine/engine';
import { parsePeer, parseFlowPort } from '../../lib/engine/peer-syntax';
import { EngineOptions, Flow, FlowPeer, FlowResult } from '../../lib/engine/types';

export function cnp(namespace: string, name: string, spec: Record<string, unknown>): KubeManifest {
  return { apiVersion: 'cilium.io/v2', kind: 'CiliumNetworkPolicy', metadata: { name, namespace }, spec };
}

export function ccnp(name: string, spec: Record<string, unknown>): KubeManifest {
  return { apiVersion: 'cilium.io/v2', kind: 'CiliumClusterwideNetworkPolicy', metadata: { name }, spec };
}

/** A flow in CLI syntax: flow('traefik/app=t', 'blog/app=blog', '80/TCP'); peers may be FlowPeer objects. */
export function flow(from: string | FlowPeer, to: string | FlowPeer, port: string): Flow {
  const peer = (p: string | FlowPeer) => (typeof p === 'string' ? parsePeer(p) : p);
  return { source: peer(from), destination: peer(to), ...parseFlowPort(port) };
}

export function evaluate(policies: KubeManifest[], f: Flow, options?: EngineOptions): FlowResult {
  return PolicyEngine.fromManifests(policies, options).evaluate(f);
}

/** `CNP ns/name spec.ingress[0]` for compact assertions. */
export function refs(r: FlowResult['ingress']): string[] {
  const short: Record<string, string> = {
    CiliumNetworkPolicy: 'CNP',
    CiliumClusterwideNetworkPolicy: 'CCNP',
  };
  return r.rules.map(
    (x) => `${short[x.kind] ?? x.kind} ${x.namespace ? `${x.namespace}/` : ''}${x.name} ${x.path}`,
  );
}

export const L4 = (port: string, protocol = 'TCP') => ({ toPorts: [{ ports: [{ port, protocol }] }] });
export const fromNs = (ns: string, labels: Record<string, string> = {}) => ({
  fromEndpoints: [{ matchLabels: { 'k8s:io.kubernetes.pod.namespace': ns, ...labels } }],
});
export const toNs = (ns: string, labels: Record<string, string> = {}) => ({
  toEndpoints: [{ matchLabels: { 'k8s:io.kubernetes.pod.namespace': ns, ...labels } }],
});
