import { stringify } from 'yaml';
import { KubeManifest } from '../manifest/types';
import { DnsServer, SuggestedPeer, SuggestedPolicy, SuggestedRule } from './plan';

function dnsElement(dns: DnsServer): Record<string, unknown> {
  return {
    toEndpoints: [{ matchLabels: { ...dns.matchLabels } }],
    toPorts: [
      { ports: [{ port: String(dns.port), protocol: 'ANY' }], rules: { dns: [{ matchPattern: '*' }] } },
    ],
  };
}

/** The `ingress`/`egress` elements of one rule: ports and ICMP types go in separate elements, as Cilium requires. */
function ruleElements(r: SuggestedRule): Record<string, unknown>[] {
  const peer = peerFields(r.peer, r.direction === 'ingress');
  const out: Record<string, unknown>[] = [];
  if (r.ports.length || !r.icmps.length) {
    out.push({
      ...peer,
      ...(r.ports.length
        ? { toPorts: [{ ports: r.ports.map((x) => ({ port: String(x.port), protocol: x.protocol })) }] }
        : {}),
    });
  }
  if (r.icmps.length)
    out.push({ ...peer, icmps: [{ fields: r.icmps.map((i) => ({ family: i.family, type: i.type })) }] });
  return out;
}

/** The elements a suggestion adds, per direction (with the DNS rule `toFQDNs` needs first). */
export function addedElements(p: SuggestedPolicy): {
  ingress: Record<string, unknown>[];
  egress: Record<string, unknown>[];
} {
  const ingress = p.rules.filter((r) => r.direction === 'ingress').flatMap(ruleElements);
  const egress = p.rules.filter((r) => r.direction === 'egress').flatMap(ruleElements);
  const needsDns = p.dnsServer && !(p.target?.construct === 'FqdnEgress');
  return { ingress, egress: needsDns ? [dnsElement(p.dnsServer!), ...egress] : egress };
}

/** The CNP (or CCNP) manifest of a new-policy suggestion, as a person would write it by hand. */
export function toManifest(p: SuggestedPolicy): KubeManifest {
  const { ingress, egress } = addedElements(p);
  return {
    apiVersion: 'cilium.io/v2',
    kind: p.subject.clusterwide ? 'CiliumClusterwideNetworkPolicy' : 'CiliumNetworkPolicy',
    metadata: {
      name: p.name,
      ...(p.subject.namespace !== undefined ? { namespace: p.subject.namespace } : {}),
    },
    spec: {
      description: p.description,
      endpointSelector: Object.keys(p.subject.matchLabels).length
        ? { matchLabels: { ...p.subject.matchLabels } }
        : {},
      ...(ingress.length ? { ingress } : {}),
      ...(egress.length ? { egress } : {}),
    },
  };
}

/** The edited policy of a construct-edit suggestion: the original with the rules appended. */
export function editedManifest(original: KubeManifest, p: SuggestedPolicy): KubeManifest {
  const { ingress, egress } = addedElements(p);
  const spec = { ...(original.spec as Record<string, unknown>) };
  if (ingress.length) spec.ingress = [...((spec.ingress as unknown[]) ?? []), ...ingress];
  if (egress.length) spec.egress = [...((spec.egress as unknown[]) ?? []), ...egress];
  return { ...original, spec };
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

/**
 * File name for `--output-dir`: `<namespace>-<name>.yaml`, or `<name>.yaml` for a CCNP; only
 * `a-z0-9.-` (anything else becomes `-`), never starting with a dot, so it stays a plain file in the directory.
 */
export function fileName(p: SuggestedPolicy): string {
  const base = `${p.subject.namespace ? `${p.subject.namespace}-` : ''}${p.name}`
    .toLowerCase()
    .replace(/[^a-z0-9.-]+/g, '-')
    .replace(/^[.-]+/, '');
  return `${base || 'policy'}.yaml`;
}

/** YAML of a manifest, with the suggestion's notes as comments (one line each whatever they hold). */
export function renderYaml(p: SuggestedPolicy, manifest: KubeManifest = toManifest(p)): string {
  const notes = p.notes.map((n) => `# note: ${n.replace(/[\r\n\u2028\u2029]+/g, ' ')}\n`).join('');
  return `${notes}${stringify(manifest, { lineWidth: 0, aliasDuplicateObjects: false })}`;
}
