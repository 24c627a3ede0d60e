/**
 * Invalid policies for the linter check: a random valid policy with one mutation that Cilium
 * (the agent, or the API server's CRD schema) rejects. Each mutation names what it breaks; the
 * run checks that Cilium really rejects the result before asking the linter about it.
 */
import fc from 'fast-check';
import { policyArbitrary } from './generator';

type Json = Record<string, unknown>;

interface Mutation {
  readonly name: string;
  /** Returns the mutated copy of a policy (never changes its argument). */
  apply(policy: Json): Json;
}

function firstRule(p: Json): Json {
  return (p.spec ?? (p.specs as Json[])[0]) as Json;
}

/** A deep copy whose first rule gets `change` applied. */
function onFirstRule(p: Json, change: (rule: Json) => void): Json {
  const copy = JSON.parse(JSON.stringify(p)) as Json;
  change(firstRule(copy));
  return copy;
}

/** Adds one element to a section of the first rule. */
function addElement(section: string, element: Json): (p: Json) => Json {
  return (p) =>
    onFirstRule(p, (rule) => {
      rule[section] = [...((rule[section] as Json[] | undefined) ?? []), element];
    });
}

const tcp = (port: string, extra: Json = {}) => ({ ports: [{ port, protocol: 'TCP' }], ...extra });

export const MUTATIONS: readonly Mutation[] = [
  {
    name: 'two peer kinds in one element',
    apply: addElement('ingress', { fromEndpoints: [{}], fromEntities: ['world'] }),
  },
  {
    name: 'fromCIDR and fromCIDRSet in one element',
    apply: addElement('ingress', { fromCIDR: ['1.1.1.0/24'], fromCIDRSet: [{ cidr: '8.8.8.8/32' }] }),
  },
  {
    name: 'toFQDNs with toEndpoints',
    apply: addElement('egress', { toFQDNs: [{ matchName: 'a.example.com' }], toEndpoints: [{}] }),
  },
  {
    name: 'HTTP rule without protocol TCP',
    apply: addElement('ingress', {
      toPorts: [{ ports: [{ port: '80', protocol: 'ANY' }], rules: { http: [{}] } }],
    }),
  },
  {
    name: 'HTTP rule on UDP',
    apply: addElement('egress', {
      toPorts: [{ ports: [{ port: '80', protocol: 'UDP' }], rules: { http: [{ method: 'GET' }] } }],
    }),
  },
  {
    name: 'L7 rule on port 0',
    apply: addElement('ingress', { toPorts: [{ ...tcp('0'), rules: { http: [{}] } }] }),
  },
  {
    name: 'DNS rule on ingress',
    apply: addElement('ingress', {
      toPorts: [{ ports: [{ port: '53', protocol: 'UDP' }], rules: { dns: [{ matchPattern: '*' }] } }],
    }),
  },
  {
    name: 'DNS rule with a port range',
    apply: addElement('egress', {
      toPorts: [
        { ports: [{ port: '53', endPort: 60, protocol: 'UDP' }], rules: { dns: [{ matchPattern: '*' }] } },
      ],
    }),
  },
  {
    name: 'DNS rule without ports',
    apply: addElement('egress', { toPorts: [{ rules: { dns: [{ matchPattern: '*' }] } }] }),
  },
  {
    name: 'two L7 types in one rules block',
    apply: addElement('egress', {
      toPorts: [{ ...tcp('53'), rules: { dns: [{ matchPattern: '*' }], http: [{}] } }],
    }),
  },
  {
    name: 'more than 40 ports',
    apply: addElement('ingress', {
      toPorts: [
        { ports: Array.from({ length: 41 }, (_, i) => ({ port: String(1000 + i), protocol: 'TCP' })) },
      ],
    }),
  },
  {
    name: 'more than 40 ports in a deny',
    apply: addElement('egressDeny', {
      toPorts: [{ ports: Array.from({ length: 45 }, (_, i) => ({ port: String(2000 + i) })) }],
    }),
  },
  {
    name: 'except outside the CIDR',
    apply: addElement('egress', { toCIDRSet: [{ cidr: '10.0.0.0/8', except: ['192.168.0.0/16'] }] }),
  },
  {
    name: 'except shorter than the CIDR',
    apply: addElement('egress', { toCIDRSet: [{ cidr: '10.1.0.0/16', except: ['10.0.0.0/8'] }] }),
  },
  {
    name: 'except of another family',
    apply: addElement('ingress', { fromCIDRSet: [{ cidr: '10.0.0.0/8', except: ['fd00::/64'] }] }),
  },
  {
    name: 'unparseable except',
    apply: addElement('ingress', { fromCIDRSet: [{ cidr: '10.0.0.0/8', except: ['10.1.0.0/40'] }] }),
  },
  { name: 'CIDR with a bad prefix length', apply: addElement('egress', { toCIDR: ['10.0.0.0/33'] }) },
  { name: 'CIDR that is not an address', apply: addElement('ingress', { fromCIDR: ['ten.0.0.0/8'] }) },
  {
    name: 'nodeSelector in a CNP',
    apply: (p) =>
      p.kind === 'CiliumNetworkPolicy'
        ? onFirstRule(p, (rule) => {
            rule.nodeSelector = { matchLabels: { role: 'worker' } };
            delete rule.endpointSelector;
          })
        : onFirstRule(p, (rule) => {
            rule.nodeSelector = { matchLabels: { role: 'worker' } };
          }), // CCNP: both selectors
  },
  {
    name: 'neither endpointSelector nor nodeSelector',
    apply: (p) =>
      onFirstRule(p, (rule) => {
        delete rule.endpointSelector;
      }),
  },
  { name: 'port above 65535', apply: addElement('ingress', { toPorts: [tcp('99999')] }) },
  { name: 'negative port', apply: addElement('ingress', { toPorts: [tcp('-1')] }) },
  { name: 'empty port', apply: addElement('egress', { toPorts: [tcp('')] }) },
  { name: 'port name with a double hyphen', apply: addElement('ingress', { toPorts: [tcp('my--port')] }) },
  {
    name: 'port name longer than 15 characters',
    apply: addElement('ingress', { toPorts: [tcp('averyveryverylongname')] }),
  },
  { name: 'octal port with a digit 8', apply: addElement('ingress', { toPorts: [tcp('08')] }) },
  { name: 'octal port 080', apply: addElement('egress', { toPorts: [tcp('080')] }) },
  {
    name: 'VRRP with a port',
    apply: addElement('ingress', { toPorts: [{ ports: [{ port: '112', protocol: 'VRRP' }] }] }),
  },
  {
    name: 'IGMP with an empty port',
    apply: addElement('egress', { toPorts: [{ ports: [{ protocol: 'IGMP' }] }] }),
  },
  {
    name: 'unknown protocol',
    apply: addElement('ingress', { toPorts: [{ ports: [{ port: '80', protocol: 'ICMP' }] }] }),
  },
  {
    name: 'icmps and toPorts in one element',
    apply: addElement('ingress', { toPorts: [tcp('80')], icmps: [{ fields: [{ type: 8 }] }] }),
  },
  {
    name: 'ICMP type name of the other family',
    apply: addElement('egress', { icmps: [{ fields: [{ family: 'IPv6', type: 'Timestamp' }] }] }),
  },
  {
    name: 'ICMP family unknown',
    apply: addElement('ingress', { icmps: [{ fields: [{ family: 'IPv5', type: 8 }] }] }),
  },
  {
    name: 'more than 40 ICMP fields',
    apply: addElement('ingress', { icmps: [{ fields: Array.from({ length: 41 }, () => ({ type: 8 })) }] }),
  },
  { name: 'unknown entity', apply: addElement('egress', { toEntities: ['everything'] }) },
  {
    name: 'fromNodes without node selector labels',
    apply: addElement('ingress', { fromNodes: [{ matchLabels: { role: 'worker' } }] }),
  },
  {
    name: 'matchName and matchPattern together',
    apply: addElement('egress', { toFQDNs: [{ matchName: 'a.example.com', matchPattern: '*.example.com' }] }),
  },
  {
    name: 'matchName with a bad character',
    apply: addElement('egress', { toFQDNs: [{ matchName: 'a b.example.com' }] }),
  },
  {
    name: 'matchPattern with a bad character',
    apply: addElement('egress', { toFQDNs: [{ matchPattern: '*.exa?mple.com' }] }),
  },
  {
    name: 'operator Gt',
    apply: addElement('ingress', {
      fromEndpoints: [{ matchExpressions: [{ key: 'app', operator: 'Gt', values: ['1'] }] }],
    }),
  },
  {
    name: 'In without values',
    apply: addElement('egress', {
      toEndpoints: [{ matchExpressions: [{ key: 'app', operator: 'In', values: [] }] }],
    }),
  },
  {
    name: 'Exists with values',
    apply: addElement('ingress', {
      fromEndpoints: [{ matchExpressions: [{ key: 'app', operator: 'Exists', values: ['x'] }] }],
    }),
  },
  {
    name: 'label key with two colons',
    apply: addElement('ingress', { fromEndpoints: [{ matchLabels: { 'k8s:a:b': 'x' } }] }),
  },
  {
    name: 'label value that is not a label value',
    apply: (p) =>
      onFirstRule(p, (rule) => {
        rule.endpointSelector = { matchLabels: { app: 'not a value' } };
      }),
  },
  {
    name: 'all sections empty',
    apply: (p) =>
      onFirstRule(p, (rule) => {
        for (const s of ['ingress', 'ingressDeny', 'egress', 'egressDeny']) delete rule[s];
      }),
  },
  {
    name: 'only an empty section',
    apply: (p) =>
      onFirstRule(p, (rule) => {
        for (const s of ['ingress', 'ingressDeny', 'egressDeny']) delete rule[s];
        rule.egress = [];
      }),
  },
  {
    name: 'no spec and no specs',
    apply: (p) => {
      const { spec: _s, specs: _ss, ...rest } = p;
      return rest;
    },
  },
  { name: 'no name', apply: (p) => ({ ...p, metadata: { ...(p.metadata as Json), name: '' } }) },
  {
    name: 'toRequires (removed in 1.19)',
    apply: addElement('egress', { toRequires: [{ matchLabels: { app: 'x' } }] }),
  },
  {
    name: 'serverNames without terminatingTLS, with L7',
    apply: addElement('egress', {
      toPorts: [{ ...tcp('443'), serverNames: ['a.example.com'], rules: { http: [{}] } }],
    }),
  },
  {
    name: 'listener on ingress',
    apply: addElement('ingress', {
      toPorts: [
        { ...tcp('80'), listener: { envoyConfig: { kind: 'CiliumEnvoyConfig', name: 'x' }, name: 'l' } },
      ],
    }),
  },
  {
    name: 'HTTP path that is not a regexp',
    apply: addElement('ingress', { toPorts: [{ ...tcp('80'), rules: { http: [{ path: '/a(' }] } }] }),
  },
];

/** A random valid policy and one mutation of it. */
export function invalidPolicyArbitrary(): fc.Arbitrary<{ readonly mutation: string; readonly policy: Json }> {
  return fc
    .tuple(policyArbitrary(0), fc.constantFrom(...MUTATIONS))
    .map(([policy, m]) => ({ mutation: m.name, policy: m.apply(policy) }));
}
