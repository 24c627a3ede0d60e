/** Section 5: policies the agent or the API server rejects are skipped whole, with a warning naming policy, file and path. */
import { PolicyEngine } from '../../lib/engine/engine';
import { ccnp, cnp, flow, L4 } from './helpers';

const sel = { matchLabels: { app: 'a' } };

describe('invalid policies are skipped with a warning, never a crash', () => {
  test.each([
    [
      '5 combining two L3 peer kinds',
      { endpointSelector: sel, egress: [{ toEndpoints: [{}], toCIDR: ['1.1.1.1/32'] }] },
      /spec\.egress\[0\]: combining toCIDR and toEndpoints is not supported yet/,
    ],
    [
      '5 fromCIDR + fromCIDRSet also counts as two kinds',
      {
        endpointSelector: sel,
        ingress: [{ fromCIDR: ['1.1.1.1/32'], fromCIDRSet: [{ cidr: '2.0.0.0/8' }] }],
      },
      /combining fromCIDR and fromCIDRSet/,
    ],
    [
      '5 toPorts with icmps',
      { endpointSelector: sel, egress: [{ ...L4('80'), icmps: [{ fields: [{ type: 8 }] }] }] },
      /the ICMPs block may only be present without ToPorts/,
    ],
    ['5 all sections empty', { endpointSelector: sel, ingress: [] }, /at least one of/],
    [
      '5 neither endpointSelector nor nodeSelector',
      { ingress: [{}] },
      /rule must have one of endpointSelector or nodeSelector/,
    ],
    [
      '5 bad operator',
      {
        endpointSelector: { matchExpressions: [{ key: 'a', operator: 'Gt', values: ['1'] }] },
        ingress: [{}],
      },
      /spec\.endpointSelector\.matchExpressions\[0\]\.operator: invalid label selector: "Gt"/,
    ],
    [
      '5 In without values',
      { endpointSelector: { matchExpressions: [{ key: 'a', operator: 'In' }] }, ingress: [{}] },
      /values must be non-empty for In/,
    ],
    [
      '5 key with two colons',
      { endpointSelector: { matchLabels: { 'k8s:a:b': 'x' } }, ingress: [{}] },
      /more than one ':'/,
    ],
    [
      '5 key that is not a qualified name',
      { endpointSelector: { matchLabels: { 'app name': 'x' } }, ingress: [{}] },
      /matchLabels\["app name"\]: invalid label selector: key "app name"/,
    ],
    [
      '1.6 the `$` shorthand fails Rule.Sanitize (not a qualified name)',
      { endpointSelector: sel, ingress: [{ fromEndpoints: [{ matchLabels: { $world: '' } }] }] },
      /spec\.ingress\[0\]\.fromEndpoints\[0\]\.matchLabels\["\$world"\]: invalid label selector: key "\$world"/,
    ],
    [
      '5 invalid matchExpressions value',
      {
        endpointSelector: { matchExpressions: [{ key: 'app', operator: 'In', values: ['bad value!'] }] },
        ingress: [{}],
      },
      /"bad value!" is not a label value/,
    ],
    [
      '5 unparseable CIDR',
      { endpointSelector: sel, egress: [{ toCIDR: ['10.0.0.0'] }] },
      /toCIDR\[0\]: "10.0.0.0" is not a CIDR/,
    ],
    [
      '5 except outside cidr',
      { endpointSelector: sel, egress: [{ toCIDRSet: [{ cidr: '10.0.0.0/8', except: ['11.0.0.0/16'] }] }] },
      /except\[0\]: allow CIDR prefix 10.0.0.0\/8 does not contain exclude CIDR prefix 11.0.0.0\/16/,
    ],
    [
      '10.5 port "08" (octal with an 8)',
      { endpointSelector: sel, egress: [L4('08')] },
      /ports\[0\]\.port: unable to parse port: port "08" starts with 0/,
    ],
    ['3.1 port out of range', { endpointSelector: sel, egress: [L4('99999')] }, /out of range/],
    ['3.3 unknown protocol', { endpointSelector: sel, egress: [L4('80', 'ICMP')] }, /protocol "ICMP"/],
    [
      '3.3 VRRP with a port',
      { endpointSelector: sel, egress: [L4('80', 'VRRP')] },
      /port must be empty or 0/,
    ],
    [
      '5 HTTP rules need protocol TCP',
      { endpointSelector: sel, ingress: [{ toPorts: [{ ports: [{ port: '80' }], rules: { http: [{}] } }] }] },
      /L7 rules can only apply to TCP/,
    ],
    [
      '5 DNS rules on ingress',
      {
        endpointSelector: sel,
        ingress: [
          {
            toPorts: [{ ports: [{ port: '53', protocol: 'UDP' }], rules: { dns: [{ matchPattern: '*' }] } }],
          },
        ],
      },
      /L7 protocol DNS is not supported on ingress yet/,
    ],
    [
      '5 matchName and matchPattern together',
      { endpointSelector: sel, egress: [{ toFQDNs: [{ matchName: 'a.com', matchPattern: '*.a.com' }] }] },
      /only one of MatchName or MatchPattern is allowed/,
    ],
    [
      '5 bad matchName characters',
      { endpointSelector: sel, egress: [{ toFQDNs: [{ matchName: 'a*.com' }] }] },
      /Invalid characters in MatchName: "a\*\.com"/,
    ],
    [
      '5 unknown entity',
      { endpointSelector: sel, egress: [{ toEntities: ['everything'] }] },
      /unsupported entity: everything/,
    ],
    [
      '5 bad ICMP type name for the family',
      {
        endpointSelector: sel,
        egress: [{ icmps: [{ fields: [{ type: 'PacketTooBig', family: 'IPv4' }] }] }],
      },
      /ICMP type "PacketTooBig"/,
    ],
    [
      '1.4 fromRequires was removed',
      { endpointSelector: sel, ingress: [{ fromRequires: [{ matchLabels: { env: 'prod' } }] }] },
      /fromRequires was removed/,
    ],
    [
      '5 fromNodes needs node selector labels',
      { endpointSelector: sel, ingress: [{ fromNodes: [{}] }] },
      /enable-node-selector-labels/,
    ],
  ])('%s', (_name, spec, warning) => {
    const engine = PolicyEngine.fromManifests([
      { manifest: cnp('ns', 'bad', spec), file: 'policies/bad.yaml', line: 7 },
    ]);
    expect(engine.rules).toHaveLength(0);
    expect(engine.warnings).toHaveLength(1);
    expect(engine.warnings[0]).toMatch(/^CiliumNetworkPolicy ns\/bad \(policies\/bad\.yaml:7\) /);
    expect(engine.warnings[0]).toMatch(warning);
    expect(engine.warnings[0]).toMatch(/policy skipped$/);
  });

  test('5 one bad rule rejects the whole policy (specs)', () => {
    const engine = PolicyEngine.fromManifests([
      {
        apiVersion: 'cilium.io/v2',
        kind: 'CiliumNetworkPolicy',
        metadata: { name: 'two', namespace: 'ns' },
        specs: [
          { endpointSelector: sel, ingress: [{}] },
          { endpointSelector: sel, egress: [L4('08')] },
        ],
      },
    ]);
    expect(engine.rules).toHaveLength(0);
    expect(engine.warnings[0]).toMatch(/specs\[1\]\.egress\[0\]/);
  });

  test('1.1 a CCNP nodeSelector rule is ignored with a warning; the host stays unenforced', () => {
    const engine = PolicyEngine.fromManifests([
      ccnp('host', { nodeSelector: {}, ingress: [{ fromEntities: ['cluster'] }] }),
    ]);
    expect(engine.warnings).toEqual([
      expect.stringMatching(/CiliumClusterwideNetworkPolicy host spec\.nodeSelector: .*host firewall/),
    ]);
    expect(engine.evaluate(flow('cidr:1.1.1.1', 'entity:host', '22/TCP')).ingress.decision).toBe(
      'NOT_ENFORCED',
    );
  });

  test('5 a CNP may not have a nodeSelector', () => {
    const engine = PolicyEngine.fromManifests([cnp('ns', 'n', { nodeSelector: {}, ingress: [{}] })]);
    expect(engine.warnings[0]).toMatch(/only allowed in a CiliumClusterwideNetworkPolicy; policy skipped/);
  });

  test('non-policy manifests are ignored', () => {
    const engine = PolicyEngine.fromManifests([
      { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' }, spec: { ingress: 'nonsense' } },
      { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'n' } },
    ]);
    expect(engine.rules).toHaveLength(0);
    expect(engine.warnings).toEqual([]);
  });

  test('5 unknown fields are reported and ignored (pruned)', () => {
    const engine = PolicyEngine.fromManifests([
      cnp('ns', 'typo', { endpointSelector: sel, egress: [{ toport: [{}], toEntities: ['world'] }] }),
    ]);
    expect(engine.rules).toHaveLength(1);
    expect(engine.warnings).toEqual([expect.stringMatching(/spec\.egress\[0\]\.toport: not a field/)]);
  });

  test('a CNP without a namespace is evaluated in "default", with a note', () => {
    const engine = PolicyEngine.fromManifests([
      {
        apiVersion: 'cilium.io/v2',
        kind: 'CiliumNetworkPolicy',
        metadata: { name: 'x' },
        spec: { endpointSelector: {}, ingress: [{}] },
      },
    ]);
    expect(engine.warnings[0]).toMatch(/no metadata.namespace; evaluated as namespace "default"/);
    expect(engine.evaluate(flow('a/x=y', 'default/app=b', '80/TCP')).ingress.decision).toBe('DEFAULT_DENY');
  });

  test('a later definition of the same policy replaces the earlier one, with a warning', () => {
    const a = cnp('ns', 'p', { endpointSelector: {}, ingress: [{}] });
    const b = cnp('ns', 'p', { endpointSelector: {}, egress: [{}] });
    const engine = PolicyEngine.fromManifests([
      { manifest: a, file: 'a.yaml', line: 1 },
      { manifest: b, file: 'b.yaml', line: 3 },
    ]);
    expect(engine.warnings).toEqual([
      'CiliumNetworkPolicy ns/p is defined twice (a.yaml:1, b.yaml:3); the later one is used',
    ]);
    const r = engine.evaluate(flow('ns/a=b', 'ns/c=d', '80/TCP'));
    expect([r.egress.decision, r.ingress.decision]).toEqual(['DEFAULT_DENY', 'NOT_ENFORCED']);
  });

  test('bad engine options are rejected', () => {
    expect(() => PolicyEngine.fromManifests([], { policyEnforcementMode: 'sometimes' as never })).toThrow(
      /policyEnforcementMode/,
    );
  });

  test('options are filled with defaults', () => {
    expect(PolicyEngine.fromManifests([]).options).toEqual({
      policyEnforcementMode: 'default',
      allowLocalhost: 'always',
      policyAuditMode: false,
      enableNonDefaultDenyPolicies: true,
      clusterName: 'default',
      cidrMatchNodes: false,
    });
  });
});

describe('only cilium.io/v2 policies are loaded', () => {
  it.each([[undefined], ['cilium.io/v1'], ['cilium.io/v2alpha1']])(
    'apiVersion %s is skipped with a warning',
    (apiVersion) => {
      const engine = PolicyEngine.fromManifests([
        {
          ...(apiVersion ? { apiVersion } : {}),
          kind: 'CiliumClusterwideNetworkPolicy',
          metadata: { name: 'all' },
          spec: { endpointSelector: {}, ingress: [{}] },
        },
      ]);
      expect(engine.warnings).toEqual([
        `CiliumClusterwideNetworkPolicy all apiVersion: ${JSON.stringify(apiVersion ?? null)} is not served by the Cilium 1.20 CRD (only cilium.io/v2); policy skipped`,
      ]);
    },
  );
});
