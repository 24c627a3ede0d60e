/**
 * Randomized conformance vectors (fast-check): CNP/CCNP policies within the supported feature
 * set and flows over a small universe of identities, so that rules actually match.
 *
 * Every name, label, address, port and DNS name below comes from small pools shared by the
 * policies and the flows: a selector on `app: api` meets pods labelled `app=api`, a `toCIDR`
 * 1.1.1.0/24 meets the world address 1.1.1.1, a `matchPattern: "*.github.com"` meets a peer
 * whose DNS names include `api.github.com`.
 */
import fc from 'fast-check';
import type { EngineOptions, Flow, FlowPeer, FlowProtocol, NamedPort } from '../../lib/engine/types';
import type { ConformanceVector, FlowCase } from './vectors';
import { CRD_ENTITY_NAMES } from '../../lib/cilium/entities';

type Json = Record<string, unknown>;

/** `arb` one time in `n`, else undefined (fc.option's `freq` is the other way round: nil one time in freq). */
function sometimes<T>(arb: fc.Arbitrary<T>, n: number): fc.Arbitrary<T | undefined> {
  return fc.oneof({ arbitrary: fc.constant(undefined), weight: n - 1 }, { arbitrary: arb, weight: 1 });
}

// ---- The identity universe ------------------------------------------------------------------

const NAMESPACE_LABEL = 'io.kubernetes.pod.namespace';
const TEAM_LABEL = 'io.cilium.k8s.namespace.labels.team';

interface Pod {
  readonly namespace: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly namedPorts?: readonly NamedPort[];
}

const TEAMS: Readonly<Record<string, string>> = { blog: 'a', shop: 'b' };

const PODS: readonly Pod[] = [
  { namespace: 'blog', labels: { app: 'fe', tier: 'web' } },
  {
    namespace: 'blog',
    labels: { app: 'api', tier: 'web', 'pod-template-hash': 'abc' },
    namedPorts: [{ name: 'http', port: 8080, protocol: 'TCP' }],
  },
  {
    namespace: 'blog',
    labels: { app: 'db', tier: 'data' },
    namedPorts: [{ name: 'pg', port: 5432, protocol: 'TCP' }],
  },
  { namespace: 'shop', labels: { app: 'fe' } },
  { namespace: 'shop', labels: { app: 'api' }, namedPorts: [{ name: 'http', port: 8081, protocol: 'TCP' }] },
  {
    namespace: 'kube-system',
    labels: { 'k8s-app': 'kube-dns' },
    namedPorts: [
      { name: 'dns', port: 53, protocol: 'UDP' },
      { name: 'dns-tcp', port: 53, protocol: 'TCP' },
    ],
  },
];

function podPeer(p: Pod): FlowPeer {
  const labels = [
    `k8s:${NAMESPACE_LABEL}=${p.namespace}`,
    ...(TEAMS[p.namespace] ? [`k8s:${TEAM_LABEL}=${TEAMS[p.namespace]}`] : []),
    ...Object.entries(p.labels).map(([k, v]) => `k8s:${k}=${v}`),
  ];
  // An empty list says "no named ports" (unknown named ports make the engine answer UNDECIDED).
  return { labels, namedPorts: p.namedPorts ?? [] };
}

/** Node addresses (for `cidrMatchNodes`) and world addresses inside the CIDR pool. */
const HOST_IP = '192.168.1.10';
const REMOTE_NODE_IP = '192.168.1.11';
const APISERVER_IP = '192.168.1.12';
const WORLD_IPS = ['1.1.1.1', '1.1.1.200', '8.8.8.8', '10.0.5.5', '140.82.112.3', '203.0.113.7'];
const DNS_NAMES = [
  'api.github.com',
  'github.com',
  'a.b.github.com',
  'example.com',
  'www.example.com',
  'api.example.org',
];

/** One label set per reserved identity number in every vector (the oracle requires it). */
const RESERVED_PEERS: readonly FlowPeer[] = [
  { labels: ['reserved:host'], ip: HOST_IP },
  { labels: ['reserved:remote-node'], ip: REMOTE_NODE_IP },
  { labels: ['reserved:kube-apiserver', 'reserved:remote-node'], ip: APISERVER_IP },
  { labels: ['reserved:health'] },
  { labels: ['reserved:init'] },
  { labels: ['reserved:ingress'] },
  { labels: ['reserved:unmanaged'] },
];

const worldPeer: fc.Arbitrary<FlowPeer> = fc
  .record({
    ip: fc.constantFrom(...WORLD_IPS),
    names: fc.subarray(DNS_NAMES, { maxLength: 2 }),
  })
  .map(({ ip, names }) => ({ labels: ['reserved:world'], ip, ...(names.length ? { dnsNames: names } : {}) }));

/** A pod, sometimes in its own audit mode, sometimes not managed by Cilium. */
const podArb: fc.Arbitrary<FlowPeer> = fc
  .tuple(
    fc.constantFrom(...PODS.map(podPeer)),
    sometimes(fc.boolean(), 10),
    sometimes(fc.constant(false), 20),
  )
  .map(([p, auditMode, managed]) => ({
    ...p,
    ...(auditMode !== undefined ? { auditMode } : {}),
    ...(managed !== undefined ? { managed } : {}),
  }));

const peerArb: fc.Arbitrary<FlowPeer> = fc.oneof(
  { arbitrary: podArb, weight: 8 },
  { arbitrary: fc.constantFrom(...RESERVED_PEERS), weight: 2 },
  { arbitrary: worldPeer, weight: 2 },
);

const FLOW_PORTS = [53, 80, 443, 5432, 8080, 8081, 8100, 9000];

const l4Arb: fc.Arbitrary<Pick<Flow, 'protocol' | 'port' | 'icmpType'>> = fc.oneof(
  {
    arbitrary: fc.record({
      protocol: fc.constantFrom<FlowProtocol>('TCP', 'UDP', 'SCTP'),
      port: fc.constantFrom(...FLOW_PORTS),
    }),
    weight: 8,
  },
  {
    arbitrary: fc.record({
      protocol: fc.constant<FlowProtocol>('ICMPv4'),
      icmpType: fc.constantFrom(0, 3, 8),
    }),
    weight: 1,
  },
  {
    arbitrary: fc.record({
      protocol: fc.constant<FlowProtocol>('ICMPv6'),
      icmpType: fc.constantFrom(128, 129),
    }),
    weight: 1,
  },
  { arbitrary: fc.record({ protocol: fc.constantFrom<FlowProtocol>('VRRP', 'IGMP') }), weight: 1 },
);

const flowArb: fc.Arbitrary<Flow> = fc
  .record({ source: peerArb, destination: peerArb, l4: l4Arb })
  .map(({ source, destination, l4 }) => ({ source, destination, ...l4 }));

// ---- Selectors --------------------------------------------------------------------------------

const SELECTOR_VALUES: Readonly<Record<string, readonly string[]>> = {
  app: ['fe', 'api', 'db', 'web'],
  tier: ['web', 'data'],
  'k8s-app': ['kube-dns'],
  [NAMESPACE_LABEL]: ['blog', 'shop', 'kube-system'],
  [TEAM_LABEL]: ['a', 'b'],
  'pod-template-hash': ['abc'],
  'io.cilium.k8s.policy.cluster': ['default', 'other'],
};
const SELECTOR_KEYS = Object.keys(SELECTOR_VALUES);
const KEY_WEIGHTS: Readonly<Record<string, number>> = { app: 6, tier: 3, [NAMESPACE_LABEL]: 3 };
const SOURCES = ['', 'k8s:', 'any:'];

const keyArb = fc.oneof(
  ...SELECTOR_KEYS.map((k) => ({ arbitrary: fc.constant(k), weight: KEY_WEIGHTS[k] ?? 1 })),
);
const pick = <T>(list: readonly T[], n: number): T => list[n % list.length];

// Built from tuples and maps only (no chain), so that fast-check shrinks them well.
const expressionArb: fc.Arbitrary<Json> = fc
  .tuple(
    keyArb,
    fc.constantFrom(...SOURCES),
    fc.constantFrom('In', 'NotIn', 'Exists', 'DoesNotExist'),
    fc.uniqueArray(fc.nat(3), { minLength: 1, maxLength: 2 }),
  )
  .map(([key, source, operator, picks]) =>
    operator === 'In' || operator === 'NotIn'
      ? {
          key: `${source}${key}`,
          operator,
          values: [...new Set(picks.map((n) => pick(SELECTOR_VALUES[key], n)))],
        }
      : { key: `${source}${key}`, operator },
  );

const generalSelectorArb: fc.Arbitrary<Json> = fc
  .record({
    labels: fc.uniqueArray(fc.tuple(keyArb, fc.constantFrom(...SOURCES), fc.nat(3)), {
      maxLength: 2,
      selector: (t) => t[0],
    }),
    expressions: fc.array(expressionArb, { maxLength: 2 }),
  })
  .map(({ labels, expressions }) => ({
    ...(labels.length
      ? {
          matchLabels: Object.fromEntries(
            labels.map(([k, src, n]) => [`${src}${k}`, pick(SELECTOR_VALUES[k], n)]),
          ),
        }
      : {}),
    ...(expressions.length ? { matchExpressions: expressions } : {}),
  }));

/** Mostly selectors that do select pods of the universe: `{}`, one label of a pod, or anything. */
const labelSelectorArb: fc.Arbitrary<Json> = fc.oneof(
  { arbitrary: fc.constant({}), weight: 3 },
  {
    arbitrary: fc
      .tuple(
        fc.constantFrom(...SOURCES),
        fc.constantFrom<[string, string]>(
          ['app', 'fe'],
          ['app', 'api'],
          ['app', 'db'],
          ['tier', 'web'],
          ['tier', 'data'],
          ['k8s-app', 'kube-dns'],
        ),
      )
      .map(([src, [k, v]]) => ({ matchLabels: { [`${src}${k}`]: v } })),
    weight: 6,
  },
  { arbitrary: generalSelectorArb, weight: 4 },
);

const RESERVED_SELECTOR_KEYS = [
  'host',
  'remote-node',
  'health',
  'init',
  'ingress',
  'world',
  'kube-apiserver',
  'unmanaged',
];
const reservedSelectorArb: fc.Arbitrary<Json> = fc
  .constantFrom(...RESERVED_SELECTOR_KEYS)
  .map((k) => ({ matchLabels: { [`reserved:${k}`]: '' } }));

const peerSelectorArb = fc.oneof(
  { arbitrary: labelSelectorArb, weight: 8 },
  { arbitrary: reservedSelectorArb, weight: 1 },
);
const ccnpSubjectArb = fc.oneof(
  { arbitrary: labelSelectorArb, weight: 8 },
  {
    arbitrary: fc
      .constantFrom('health', 'init', 'ingress')
      .map((k) => ({ matchLabels: { [`reserved:${k}`]: '' } })),
    weight: 1,
  },
);

// ---- L3 peers ---------------------------------------------------------------------------------

const ENTITIES: string[] = [...CRD_ENTITY_NAMES];

/** CIDRs and the `except` prefixes valid inside each. */
const CIDRS: Readonly<Record<string, readonly string[]>> = {
  '0.0.0.0/0': ['10.0.0.0/8', '1.1.1.0/24', '8.8.8.8/32'],
  '1.0.0.0/8': ['1.1.1.0/24', '1.1.1.1/32'],
  '1.1.1.0/24': ['1.1.1.1/32', '1.1.1.128/25'],
  '1.1.1.1/32': [],
  '8.8.8.8/32': [],
  '10.0.0.0/8': ['10.0.5.0/24'],
  '140.82.112.0/20': ['140.82.112.3/32'],
  '192.168.1.0/24': ['192.168.1.10/32', '192.168.1.12/32'],
  '203.0.113.0/24': [],
};
const CIDR_LIST = Object.keys(CIDRS);

const FQDN_SELECTORS: readonly Json[] = [
  { matchName: 'api.github.com' },
  { matchName: 'github.com' },
  { matchName: 'Example.com' },
  { matchPattern: '*.github.com' },
  { matchPattern: '**.github.com' },
  { matchPattern: '*' },
  { matchPattern: '*github.com' },
  { matchPattern: 'api.*.org' },
  { matchPattern: '*.example.com.' },
];

function peerFieldsArb(direction: 'ingress' | 'egress', deny: boolean): fc.Arbitrary<Json> {
  const p = direction === 'ingress' ? 'from' : 'to';
  const cidrSet = fc.tuple(fc.constantFrom(...CIDR_LIST), fc.subarray([0, 1, 2])).map(([cidr, picks]) => {
    const except = picks.filter((i) => i < CIDRS[cidr].length).map((i) => CIDRS[cidr][i]);
    return except.length ? { cidr, except } : { cidr };
  });
  const kinds: { arbitrary: fc.Arbitrary<Json>; weight: number }[] = [
    {
      arbitrary: fc
        .array(peerSelectorArb, { maxLength: 2 })
        .map((s) => ({ [`${p}Endpoints`]: s.length ? s : [{}] })),
      weight: 60,
    },
    {
      arbitrary: fc.subarray(ENTITIES, { minLength: 1, maxLength: 2 }).map((e) => ({ [`${p}Entities`]: e })),
      weight: 30,
    },
    // Known to the agent, not in the 1.20 CRD enum: the engine must skip the policy.
    { arbitrary: fc.constant({ [`${p}Entities`]: ['cluster-mesh'] }), weight: 1 },
    {
      arbitrary: fc.subarray(CIDR_LIST, { minLength: 1, maxLength: 2 }).map((c) => ({ [`${p}CIDR`]: c })),
      weight: 20,
    },
    {
      arbitrary: fc.array(cidrSet, { minLength: 1, maxLength: 2 }).map((c) => ({ [`${p}CIDRSet`]: c })),
      weight: 20,
    },
    { arbitrary: fc.constant({}), weight: 20 },
  ];
  if (direction === 'egress' && !deny) {
    kinds.push({
      arbitrary: fc
        .subarray([...FQDN_SELECTORS], { minLength: 1, maxLength: 2 })
        .map((f) => ({ toFQDNs: f })),
      weight: 20,
    });
  }
  return fc.oneof(...kinds);
}

// ---- L4 and L7 --------------------------------------------------------------------------------

const PORT_STRINGS = ['53', '80', '443', '5432', '8080', '8081', '0', 'http', 'pg', 'dns'];

const portArb: fc.Arbitrary<Json> = fc.oneof(
  {
    arbitrary: fc
      .record({
        port: fc.constantFrom(...PORT_STRINGS),
        protocol: fc.option(fc.constantFrom('TCP', 'UDP', 'SCTP', 'ANY'), { nil: undefined, freq: 5 }), // omitted one time in 5,
        endPort: sometimes(fc.constantFrom(0, 79, 90, 443, 8100, 9000), 5),
      })
      .map(({ port, protocol, endPort }) => ({
        port,
        ...(protocol ? { protocol } : {}),
        ...(endPort !== undefined && /^[0-9]+$/.test(port) ? { endPort } : {}),
      })),
    weight: 12,
  },
  { arbitrary: fc.constantFrom('VRRP', 'IGMP').map((protocol) => ({ port: '0', protocol })), weight: 1 },
);

const HTTP_RULES: readonly Json[] = [{ method: 'GET' }, { path: '/api/.*' }, {}];
const DNS_RULES: readonly Json[] = [
  { matchPattern: '*' },
  { matchName: 'api.github.com' },
  { matchPattern: '*.github.com' },
];

const NUMERIC_PORTS = ['53', '80', '443', '5432', '8080', '8081'];

/** A toPorts entry: plain ports, or L7 rules where Cilium accepts them (HTTP on TCP, DNS on egress without ranges). */
function toPortsEntryArb(direction: 'ingress' | 'egress', deny: boolean): fc.Arbitrary<Json> {
  const plain = fc.array(portArb, { minLength: 1, maxLength: 3 }).map((ports) => ({ ports }));
  if (deny) return plain;
  const http = fc
    .record({
      ports: fc.array(
        fc.record({
          port: fc.constantFrom(...NUMERIC_PORTS),
          protocol: fc.constant('TCP'),
          endPort: sometimes(fc.constantFrom(90, 8100), 6),
        }),
        { minLength: 1, maxLength: 2 },
      ),
      http: fc.subarray([...HTTP_RULES], { minLength: 1, maxLength: 2 }),
    })
    .map(({ ports, http: rules }) => ({
      ports: JSON.parse(JSON.stringify(ports)) as Json[],
      rules: { http: rules },
    }));
  const dns = fc
    .record({
      ports: fc.array(
        fc.record({
          port: fc.constantFrom('53', '53', '8080'),
          protocol: fc.constantFrom('UDP', 'TCP', 'ANY'),
        }),
        { minLength: 1, maxLength: 2 },
      ),
      dns: fc.subarray([...DNS_RULES], { minLength: 1, maxLength: 2 }),
    })
    .map(({ ports, dns: rules }) => ({ ports, rules: { dns: rules } }));
  return fc.oneof(
    { arbitrary: plain, weight: 4 },
    { arbitrary: http, weight: 1 },
    ...(direction === 'egress' ? [{ arbitrary: dns, weight: 1 }] : []),
  );
}

const icmpsArb: fc.Arbitrary<Json> = fc
  .array(
    fc.constantFrom<Json>(
      { type: 8 },
      { family: 'IPv4', type: 'EchoReply' },
      { family: 'IPv4', type: 3 },
      { family: 'IPv6', type: 128 },
      { family: 'IPv6', type: 'EchoReply' },
    ),
    { minLength: 1, maxLength: 2 },
  )
  .map((fields) => ({ icmps: [{ fields }] }));

function l4FieldsArb(direction: 'ingress' | 'egress', deny: boolean): fc.Arbitrary<Json> {
  return fc.oneof(
    { arbitrary: fc.constant({}), weight: 3 },
    {
      arbitrary: fc
        .array(toPortsEntryArb(direction, deny), { minLength: 1, maxLength: 2 })
        .map((toPorts) => ({ toPorts })),
      weight: 6,
    },
    { arbitrary: icmpsArb, weight: 1 },
  );
}

function elementArb(direction: 'ingress' | 'egress', deny: boolean): fc.Arbitrary<Json> {
  return fc
    .tuple(peerFieldsArb(direction, deny), l4FieldsArb(direction, deny))
    .map(([l3, l4]) => ({ ...l3, ...l4 }));
}

// ---- Rules, policies, vectors -----------------------------------------------------------------

const SECTIONS = [
  ['ingress', 'ingress', false],
  ['ingressDeny', 'ingress', true],
  ['egress', 'egress', false],
  ['egressDeny', 'egress', true],
] as const;

function ruleArb(subject: fc.Arbitrary<Json>): fc.Arbitrary<Json> {
  return fc
    .record({
      endpointSelector: subject,
      sections: fc.tuple(
        ...SECTIONS.map(([, dir, deny], i) =>
          fc.array(elementArb(dir, deny), { maxLength: i % 2 === 0 ? 2 : 1 }),
        ),
      ),
      enableDefaultDeny: sometimes(
        fc.record({ ingress: fc.boolean(), egress: fc.boolean() }, { requiredKeys: [] }),
        4,
      ),
      fallback: fc.constantFrom(0, 2),
    })
    .map(({ endpointSelector, sections, enableDefaultDeny, fallback }) => {
      const rule: Json = { endpointSelector };
      sections.forEach((els, i) => {
        if (els.length) rule[SECTIONS[i][0]] = els;
      });
      // A rule needs one non-empty section (Cilium rejects it otherwise): default-deny ingress or egress.
      if (!sections.some((s) => s.length)) rule[SECTIONS[fallback][0]] = [{}];
      if (enableDefaultDeny) rule.enableDefaultDeny = enableDefaultDeny;
      return rule;
    });
}

const policyArb: fc.Arbitrary<Json> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc
      .record({
        namespace: fc.constantFrom('blog', 'blog', 'shop', 'kube-system'),
        specs: fc.array(ruleArb(labelSelectorArb), { minLength: 1, maxLength: 2 }),
      })
      .map(({ namespace, specs }) => ({
        apiVersion: 'cilium.io/v2',
        kind: 'CiliumNetworkPolicy',
        metadata: { namespace },
        ...(specs.length === 1 ? { spec: specs[0] } : { specs }),
      })),
  },
  {
    weight: 1,
    arbitrary: fc.array(ruleArb(ccnpSubjectArb), { minLength: 1, maxLength: 2 }).map((specs) => ({
      apiVersion: 'cilium.io/v2',
      kind: 'CiliumClusterwideNetworkPolicy',
      metadata: {},
      ...(specs.length === 1 ? { spec: specs[0] } : { specs }),
    })),
  },
);

const optionsArb: fc.Arbitrary<EngineOptions> = fc
  .record({
    policyEnforcementMode: fc.constantFrom<EngineOptions['policyEnforcementMode']>(
      'default',
      'default',
      'default',
      'default',
      'default',
      'always',
      'never',
    ),
    allowLocalhost: fc.constantFrom<EngineOptions['allowLocalhost']>('always', 'always', 'policy'),
    policyAuditMode: sometimes(fc.constant(true), 8),
    enableNonDefaultDenyPolicies: sometimes(fc.constant(false), 8),
    cidrMatchNodes: sometimes(fc.constant(true), 6),
  })
  .map((o) => JSON.parse(JSON.stringify(o)) as EngineOptions);

/** A random vector: options, 1-3 policies, 1-16 flows (no `expect`: the oracle is the expectation). */
export function vectorArbitrary(): fc.Arbitrary<ConformanceVector> {
  return fc
    .record({
      options: optionsArb,
      policies: fc.array(policyArb, { minLength: 1, maxLength: 3 }),
      flows: fc.array(flowArb, { minLength: 1, maxLength: 16 }),
    })
    .map(({ options, policies, flows }) => {
      const named = policies.map((p, i) => ({ ...p, metadata: { name: `p${i}`, ...(p.metadata as Json) } }));
      const cases: FlowCase[] = flows.map((flow, i) => ({ name: `f${i}`, flow, expect: {} }));
      // Plain JSON (no undefined-valued keys), exactly what a vector file holds.
      return JSON.parse(
        JSON.stringify({ name: 'random', options, policies: named, flows: cases }),
      ) as ConformanceVector;
    });
}

/** One random policy named `p<index>`, as plain JSON. */
export function policyArbitrary(index: number): fc.Arbitrary<Json> {
  return policyArb.map(
    (p) =>
      JSON.parse(JSON.stringify({ ...p, metadata: { name: `p${index}`, ...(p.metadata as Json) } })) as Json,
  );
}
