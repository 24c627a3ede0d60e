/**
 * Renders suggestions as TypeScript over this library's constructs (CiliumPolicy, FqdnEgress
 * and the lib/policy vocabulary, ICMP included). Kept in one module so it follows the construct API.
 */
import { K8S_NAMESPACE_KEY as NAMESPACE_KEY } from '../cilium/labels';
import { DnsServer, SuggestedPeer, SuggestedPolicy } from './plan';

const ENTITY_CONSTANTS: Record<string, string> = {
  'host': 'HOST', 'remote-node': 'REMOTE_NODE', 'kube-apiserver': 'KUBE_APISERVER', 'ingress': 'INGRESS',
  'health': 'HEALTH', 'init': 'INIT', 'unmanaged': 'UNMANAGED', 'world': 'WORLD',
};

const q = (s: string) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

function record(r: Readonly<Record<string, string>>): string {
  const keys = Object.keys(r);
  if (!keys.length) return '{}';
  return `{ ${keys.map((k) => `${/^[A-Za-z_$][\w$]*$/.test(k) ? k : q(k)}: ${q(r[k])}`).join(', ')} }`;
}

/** `EndpointSelector.labels({...}, { namespace })`, the namespace label moved to the option. */
function selector(matchLabels: Readonly<Record<string, string>>): string {
  const { [NAMESPACE_KEY]: namespace, ...rest } = matchLabels;
  return `EndpointSelector.labels(${record(rest)}${namespace !== undefined ? `, { namespace: ${q(namespace)} }` : ''})`;
}

function peers(peer: SuggestedPeer): string[] {
  switch (peer.kind) {
    case 'endpoints': return [`Peer.endpoints(${selector(peer.matchLabels)})`];
    case 'entity': return [`Peer.entities(${ENTITY_CONSTANTS[peer.entity] ? `Entity.${ENTITY_CONSTANTS[peer.entity]}` : `Entity.of(${q(peer.entity)})`})`];
    case 'cidr': return peer.cidrs.map((c) => `Peer.cidr(${q(c)})`);
    case 'fqdn': return [`Peer.fqdns(${peer.names.map((n) => `Fqdn.name(${q(n)})`).join(', ')})`];
  }
}

function ports(p: SuggestedPolicy): string {
  return p.ports.map((x) => `Port.${x.protocol.toLowerCase()}(${x.port})`).join(', ');
}

function isDefaultDns(dns: DnsServer): boolean {
  const keys = Object.keys(dns.matchLabels);
  return dns.port === 53 && keys.length === 2 && dns.matchLabels[NAMESPACE_KEY] === 'kube-system'
    && (dns.matchLabels['k8s:k8s-app'] ?? dns.matchLabels['k8s-app']) === 'kube-dns';
}

/** `Icmp.v4(8)`; type 0 is Cilium's every-type wildcard, which the vocabulary spells `Icmp.anyType`. */
function icmp(i: SuggestedPolicy['icmps'][number]): string {
  if (i.type === 0) return `Icmp.anyType(${q(i.family)})`;
  return `Icmp.${i.family === 'IPv4' ? 'v4' : 'v6'}(${i.type})`;
}

function policyCode(p: SuggestedPolicy): string {
  const lines: string[] = [];
  const notes = p.notes.map((n) => `  // note: ${n}\n`).join('');
  if (p.peer.kind === 'fqdn' && p.dnsServer) {
    lines.push(`${notes}  new FqdnEgress(scope, ${q(p.name)}, {`);
    lines.push(`    name: ${q(p.name)},`);
    lines.push(`    namespace: ${q(p.subject.namespace ?? '')},`);
    lines.push(`    description: ${q(p.description)},`);
    lines.push(`    pods: ${selector(p.subject.matchLabels)},`);
    lines.push(`    fqdns: [${p.peer.names.map((n) => `Fqdn.name(${q(n)})`).join(', ')}],`);
    lines.push(`    ports: [${ports(p)}],`);
    if (!isDefaultDns(p.dnsServer)) {
      lines.push(`    dnsServer: Peer.endpoints(${selector(p.dnsServer.matchLabels)}),`);
      lines.push(`    dnsPort: Port.any(${p.dnsServer.port}),`);
    }
    lines.push('  });');
    return `${lines.join('\n')}\n`;
  }
  const rule = p.direction === 'ingress' ? 'allowFrom' : 'allowTo';
  const peerKey = p.direction === 'ingress' ? 'from' : 'to';
  const rules = peers(p.peer).flatMap((peer) => [
    ...(p.ports.length || !p.icmps.length ? [`PolicyRule.${rule}(${peer}${p.ports.length ? `, ${ports(p)}` : ''})`] : []),
    ...(p.icmps.length ? [`PolicyRule.${p.direction}({ ${peerKey}: ${peer}, icmps: [${p.icmps.map(icmp).join(', ')}] })`] : []),
  ]);
  lines.push(`${notes}  new CiliumPolicy(scope, ${q(p.name)}, {`);
  lines.push(`    name: ${q(p.name)},`);
  lines.push(p.subject.clusterwide ? '    clusterwide: true,' : `    namespace: ${q(p.subject.namespace ?? '')},`);
  lines.push(`    description: ${q(p.description)},`);
  lines.push(`    endpointSelector: ${Object.keys(p.subject.matchLabels).length ? selector(p.subject.matchLabels) : 'EndpointSelector.all()'},`);
  lines.push(`    ${p.direction}: [${rules.length ? `\n${rules.map((r) => `      ${r},`).join('\n')}\n    ` : ''}],`);
  lines.push('  });');
  return `${lines.join('\n')}\n`;
}

/** A module exporting `addSuggestedPolicies(scope)`, which adds every suggested policy to a chart. */
export function renderTypeScript(policies: readonly SuggestedPolicy[]): string {
  const used = new Set<string>(['Construct']);
  const body = policies.map(policyCode).join('\n');
  for (const name of ['CiliumPolicy', 'EndpointSelector', 'Entity', 'Fqdn', 'FqdnEgress', 'Icmp', 'Peer', 'PolicyRule', 'Port']) {
    if (new RegExp(`\\b${name}\\b`).test(body)) used.add(name);
  }
  const lib = [...used].filter((n) => n !== 'Construct').sort();
  return [
    "import { Construct } from 'constructs';",
    ...(lib.length ? [`import { ${lib.join(', ')} } from 'cdk8s-cilium-lockdown';`] : []),
    '',
    '/** Policies suggested by `cilium-lockdown suggest` for flows enforcement would drop. Review before applying. */',
    'export function addSuggestedPolicies(scope: Construct): void {',
    body.trimEnd(),
    '}',
    '',
  ].join('\n');
}
