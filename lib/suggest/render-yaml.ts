import { stringify } from 'yaml';
import { KubeManifest } from '../manifest/types';
import { SuggestedPeer, SuggestedPolicy } from './plan';

/** The CNP (or CCNP) manifest of a suggestion, as a person would write it by hand. */
export function toManifest(p: SuggestedPolicy): KubeManifest {
  const ingress = p.direction === 'ingress';
  const peer = peerFields(p.peer, ingress);
  const elements: Record<string, unknown>[] = [];
  if (p.dnsServer) {
    elements.push({
      toEndpoints: [{ matchLabels: { ...p.dnsServer.matchLabels } }],
      toPorts: [{ ports: [{ port: String(p.dnsServer.port), protocol: 'ANY' }], rules: { dns: [{ matchPattern: '*' }] } }],
    });
  }
  if (p.ports.length || !p.icmps.length) {
    elements.push({
      ...peer,
      ...(p.ports.length ? { toPorts: [{ ports: p.ports.map((x) => ({ port: String(x.port), protocol: x.protocol })) }] } : {}),
    });
  }
  if (p.icmps.length) elements.push({ ...peer, icmps: [{ fields: p.icmps.map((i) => ({ family: i.family, type: i.type })) }] });
  return {
    apiVersion: 'cilium.io/v2',
    kind: p.subject.clusterwide ? 'CiliumClusterwideNetworkPolicy' : 'CiliumNetworkPolicy',
    metadata: {
      name: p.name,
      ...(p.subject.namespace !== undefined ? { namespace: p.subject.namespace } : {}),
    },
    spec: {
      description: p.description,
      endpointSelector: Object.keys(p.subject.matchLabels).length ? { matchLabels: { ...p.subject.matchLabels } } : {},
      [p.direction]: elements,
    },
  };
}

function peerFields(peer: SuggestedPeer, ingress: boolean): Record<string, unknown> {
  switch (peer.kind) {
    case 'endpoints':
      return { [ingress ? 'fromEndpoints' : 'toEndpoints']: [{ matchLabels: { ...peer.matchLabels } }] };
    case 'entity':
      return { [ingress ? 'fromEntities' : 'toEntities']: [peer.entity] };
    case 'cidr':
      return { [ingress ? 'fromCIDR' : 'toCIDR']: [...peer.cidrs] };
    case 'fqdn':
      return { toFQDNs: peer.names.map((n) => ({ matchName: n })) };
  }
}

/** File name for `--output-dir`: `<namespace>-<name>.yaml`, or `<name>.yaml` for a CCNP. */
export function fileName(p: SuggestedPolicy): string {
  return `${p.subject.namespace ? `${p.subject.namespace}-` : ''}${p.name}.yaml`;
}

export function renderYaml(p: SuggestedPolicy): string {
  const notes = p.notes.map((n) => `# note: ${n}\n`).join('');
  return `${notes}${stringify(toManifest(p), { lineWidth: 0, aliasDuplicateObjects: false })}`;
}
