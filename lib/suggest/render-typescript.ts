/**
 * Renders suggestions as TypeScript over this library's constructs (CiliumPolicy, FqdnEgress
 * and the lib/policy vocabulary, ICMP included). Kept in one module so it follows the construct API.
 */
import { K8S_NAMESPACE_KEY as NAMESPACE_KEY } from '../cilium/labels';
import { DnsServer, SuggestedPeer, SuggestedPolicy, SuggestedRule } from './plan';

const ENTITY_CONSTANTS: Record<string, string> = {
  host: 'HOST',
  'remote-node': 'REMOTE_NODE',
  'kube-apiserver': 'KUBE_APISERVER',
  ingress: 'INGRESS',
  health: 'HEALTH',
  init: 'INIT',
  unmanaged: 'UNMANAGED',
  world: 'WORLD',
};

/** A single-quoted TypeScript string literal of any text (quotes, backslashes, line breaks escaped). */
const q = (s: string) =>
  `'${JSON.stringify(s)
    .slice(1, -1)
    .replace(/\\"/g, '"')
    .replace(/'/g, "\\'")
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029')}'`;

/** Text for a `//` comment: one line whatever it holds. */
export const commentText = (s: string) => s.replace(/[\r\n\u2028\u2029]+/g, ' ').replace(/\*\//g, '* /');

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
    case 'endpoints':
      return [`Peer.endpoints(${selector(peer.matchLabels)})`];
    case 'entity':
      return [
        `Peer.entities(${ENTITY_CONSTANTS[peer.entity] ? `Entity.${ENTITY_CONSTANTS[peer.entity]}` : `Entity.of(${q(peer.entity)})`})`,
      ];
    case 'cidr':
      return peer.cidrs.map((c) => `Peer.cidr(${q(c)})`);
    case 'fqdn':
      return [`Peer.fqdns(${peer.names.map((n) => `Fqdn.name(${q(n)})`).join(', ')})`];
  }
}

function ports(r: SuggestedRule): string {
  return r.ports.map((x) => `Port.${x.protocol.toLowerCase()}(${x.port})`).join(', ');
}

function isDefaultDns(dns: DnsServer): boolean {
  const keys = Object.keys(dns.matchLabels);
  return (
    dns.port === 53 &&
    keys.length === 2 &&
    dns.matchLabels[NAMESPACE_KEY] === 'kube-system' &&
    (dns.matchLabels['k8s:k8s-app'] ?? dns.matchLabels['k8s-app']) === 'kube-dns'
  );
}

/** `Icmp.v4(8)`; type 0 is Cilium's every-type wildcard, which the vocabulary spells `Icmp.anyType`. */
function icmp(i: SuggestedRule['icmps'][number]): string {
  if (i.type === 0) return `Icmp.anyType(${q(i.family)})`;
  return `Icmp.${i.family === 'IPv4' ? 'v4' : 'v6'}(${i.type})`;
}

/** The vocabulary expressions of one rule (ports and ICMP types in separate rules, as Cilium requires). */
function ruleCode(r: SuggestedRule): string[] {
  const method = r.direction === 'ingress' ? 'IngressRule.allowFrom' : 'EgressRule.allowTo';
  const peerKey = r.direction === 'ingress' ? 'from' : 'to';
  const Rule = r.direction === 'ingress' ? 'IngressRule' : 'EgressRule';
  return peers(r.peer).flatMap((peer) => [
    ...(r.ports.length || !r.icmps.length
      ? [`${method}(${peer}${r.ports.length ? `, ${ports(r)}` : ''})`]
      : []),
    ...(r.icmps.length
      ? [`new ${Rule}({ ${peerKey}: ${peer}, icmps: [${r.icmps.map(icmp).join(', ')}] })`]
      : []),
  ]);
}

function dnsRuleCode(dns: DnsServer): string {
  return `new EgressRule({ to: Peer.endpoints(${selector(dns.matchLabels)}), ports: [Port.any(${dns.port})], dns: [Fqdn.pattern('*')] })`;
}

function directionCode(p: SuggestedPolicy, direction: 'ingress' | 'egress', withDns: boolean): string[] {
  const rules = p.rules.filter((r) => r.direction === direction).flatMap(ruleCode);
  return direction === 'egress' && withDns && p.dnsServer && rules.length
    ? [dnsRuleCode(p.dnsServer), ...rules]
    : rules;
}

function list(items: string[], indent: string): string {
  return items.length ? `[\n${items.map((r) => `${indent}  ${r},`).join('\n')}\n${indent}]` : '[]';
}

/** A new policy: `FqdnEgress` for a single `toFQDNs` allow (it brings the DNS rule), else `CiliumPolicy`. */
function policyCode(p: SuggestedPolicy): string {
  const lines: string[] = [];
  const notes = p.notes.map((n) => `  // note: ${commentText(n)}\n`).join('');
  const [only] = p.rules;
  if (
    p.rules.length === 1 &&
    only.peer.kind === 'fqdn' &&
    p.dnsServer &&
    only.ports.length &&
    !only.icmps.length
  ) {
    lines.push(`${notes}  new FqdnEgress(scope, ${q(p.name)}, {`);
    lines.push(`    policyName: ${q(p.name)},`);
    lines.push(`    namespace: ${q(p.subject.namespace ?? '')},`);
    lines.push(`    description: ${q(p.description)},`);
    lines.push(`    pods: ${selector(p.subject.matchLabels)},`);
    lines.push(`    fqdns: [${only.peer.names.map((n) => `Fqdn.name(${q(n)})`).join(', ')}],`);
    lines.push(`    ports: [${ports(only)}],`);
    if (!isDefaultDns(p.dnsServer)) {
      lines.push(
        `    dns: { dnsServer: Peer.endpoints(${selector(p.dnsServer.matchLabels)}), dnsPort: Port.any(${p.dnsServer.port}) },`,
      );
    }
    lines.push('  });');
    return `${lines.join('\n')}\n`;
  }
  lines.push(`${notes}  new CiliumPolicy(scope, ${q(p.name)}, {`);
  lines.push(`    name: ${q(p.name)},`);
  lines.push(
    p.subject.clusterwide ? '    clusterwide: true,' : `    namespace: ${q(p.subject.namespace ?? '')},`,
  );
  lines.push(`    description: ${q(p.description)},`);
  lines.push(
    `    endpointSelector: ${Object.keys(p.subject.matchLabels).length ? selector(p.subject.matchLabels) : 'EndpointSelector.all()'},`,
  );
  for (const direction of ['ingress', 'egress'] as const) {
    const rules = directionCode(p, direction, true);
    if (rules.length) lines.push(`    ${direction}: ${list(rules, '    ')},`);
  }
  lines.push('  });');
  return `${lines.join('\n')}\n`;
}

function identifier(text: string): string {
  const words = text.split(/[^A-Za-z0-9]+/).filter(Boolean);
  const id = words
    .map((w, i) => (i === 0 ? w.toLowerCase() : w[0].toUpperCase() + w.slice(1).toLowerCase()))
    .join('');
  return /^[0-9]/.test(id) || !id ? `rules${id}` : id;
}

/** An edit of an existing construct: the rules to add, as an exported constant, and where they go. */
function editCode(p: SuggestedPolicy, name: string): string {
  const t = p.target!;
  const direction = t.edit === 'additionalIngress' || t.edit === 'addIngress' ? 'ingress' : 'egress';
  const rules = directionCode(p, direction, t.construct !== 'FqdnEgress');
  const policy = `${t.policy.kind} ${t.policy.namespace ? `${t.policy.namespace}/` : ''}${t.policy.name}`;
  const how = t.edit.startsWith('additional')
    ? `add these to its \`${t.edit}\` prop`
    : `call \`.${t.edit}(...${name})\` on it (or add them to its \`${direction}\` prop)`;
  return [
    '/**',
    ` * ${commentText(policy)} comes from the ${t.construct} at \`${commentText(t.path)}\`: ${how}.`,
    ` * ${commentText(p.description)}`,
    ...p.notes.map((n) => ` * Note: ${commentText(n)}`),
    ' */',
    `export const ${name}: ${direction === 'ingress' ? 'IngressRule' : 'EgressRule'}[] = ${list(rules, '')};`,
    '',
  ].join('\n');
}

/**
 * A module with, for each edit of an existing construct, an exported constant of the rules to
 * add (and where), and `addSuggestedPolicies(scope)`, which adds every new suggested policy to a chart.
 */
export function renderTypeScript(policies: readonly SuggestedPolicy[]): string {
  const used = new Set<string>();
  const names = new Set<string>();
  const edits = policies
    .filter((p) => p.target)
    .map((p) => {
      let name = identifier(
        `${p.target!.policy.name} ${/Ingress$/.test(p.target!.edit) ? 'ingress' : 'egress'}`,
      );
      for (let i = 2; names.has(name); i++) name = `${name}${i}`;
      names.add(name);
      return editCode(p, name);
    });
  const body = policies
    .filter((p) => !p.target)
    .map(policyCode)
    .join('\n');
  const all = `${edits.join('\n')}\n${body}`;
  for (const n of [
    'CiliumPolicy',
    'EndpointSelector',
    'Entity',
    'Fqdn',
    'FqdnEgress',
    'Icmp',
    'EgressRule',
    'IngressRule',
    'Peer',
    'Port',
  ]) {
    if (new RegExp(`\\b${n}\\b`).test(all.replace(/^( \*|\/\*\*).*$/gm, ''))) used.add(n);
  }
  const lib = [...used].sort();
  return [
    ...(body ? ["import { Construct } from 'constructs';"] : []),
    ...(lib.length ? [`import { ${lib.join(', ')} } from 'cdk8s-cilium-lockdown';`] : []),
    '',
    ...(edits.length ? [edits.join('\n')] : []),
    ...(body
      ? [
          '/** Policies suggested by `cilium-lockdown suggest` for flows enforcement would drop. Review before applying. */',
          'export function addSuggestedPolicies(scope: Construct): void {',
          body.trimEnd(),
          '}',
          '',
        ]
      : []),
  ].join('\n');
}
