import { cidrContains, parseCidr } from '../../lib/lint/util/cidr';
import { fqdnEntryMatches, patternToRegExp } from '../../lib/lint/util/fqdn';
import { identityExclusionReason } from '../../lib/lint/util/identity-labels';
import { parsePort } from '../../lib/lint/util/ports';
import { requirementsOf, selectorImplies } from '../../lib/lint/util/selector';

describe('FQDN patterns (semantics note 4.1)', () => {
  const m = (pattern: string, name: string): boolean => patternToRegExp(pattern).test(`${name}.`);
  it.each([
    ['*.github.com', 'api.github.com', true], ['*.github.com', 'github.com', false], ['*.github.com', 'a.b.github.com', false],
    ['**.github.com', 'a.b.github.com', true], ['**.github.com', 'github.com', false], ['*github.com', 'github.com', true],
    ['*github.com', 'xgithub.com', true], ['*github.com', 'api.github.com', false], ['part*ial.com', 'part-extra-ial.com', true],
    ['*', 'anything.example', true], ['GitHub.COM', 'github.com', true], ['sub.**.io', 'sub.x.io', true], ['sub.**.io', 'sub.x.y.io', false],
  ])('%s vs %s -> %s', (pattern, name, expected) => expect(m(pattern, name)).toBe(expected));
  it('matchName is exact and case-insensitive', () => {
    expect(fqdnEntryMatches({ matchName: 'GitHub.com.' }, 'github.com')).toBe(true);
    expect(fqdnEntryMatches({ matchName: 'github.com' }, 'api.github.com')).toBe(false);
  });
});

describe('ports (3.1, 10.5)', () => {
  it.each([
    ['80', { kind: 'number', value: 80, octal: false }], ['010', { kind: 'number', value: 8, octal: true }], ['08', 'invalid'], ['080', 'invalid'],
    ['99999', 'invalid'], ['65535', { kind: 'number', value: 65535, octal: false }], ['http', { kind: 'name', name: 'http' }], ['HTTP-alt', { kind: 'name', name: 'http-alt' }],
    ['http_alt', 'invalid'], ['-http', 'invalid'], ['a--b', 'invalid'], ['1234567890abcdef', 'invalid'], ['', { kind: 'empty' }],
  ])('%s', (raw, expected) => {
    const p = parsePort(raw);
    if (expected === 'invalid') expect(p.kind).toBe('invalid');
    else expect(p).toEqual(expected);
  });
});

describe('CIDRs', () => {
  it('parses v4/v6 prefixes and checks containment', () => {
    expect(cidrContains(parseCidr('10.0.0.0/8')!, parseCidr('10.96.0.0/12')!)).toBe(true);
    expect(cidrContains(parseCidr('10.96.0.0/12')!, parseCidr('10.0.0.0/8')!)).toBe(false);
    expect(cidrContains(parseCidr('2001:db8::/32')!, parseCidr('2001:db8:1::/48')!)).toBe(true);
    expect(cidrContains(parseCidr('2001:db8::/32')!, parseCidr('10.0.0.0/8')!)).toBe(false);
    expect(parseCidr('::ffff:10.0.0.1/128')?.family).toBe(6);
    for (const bad of ['10.0.0.1', '10.0.0.0/33', '300.0.0.0/8', '10.0.0/8', '1::2::3/64', 'x/8']) expect(parseCidr(bad)).toBeUndefined();
    expect(parseCidr('10.0.0.1', true)?.prefix).toBe(32);
  });
});

describe('identity label filter (1.6, 10.10)', () => {
  it.each([
    ['app', false], ['app.kubernetes.io/name', false], ['io.kubernetes.pod.namespace', false], ['io.cilium.k8s.policy.serviceaccount', false],
    ['io.cilium.k8s.namespace.labels.kubernetes.io/metadata.name', false], ['pod-template-hash', true], ['controller-revision-hash', true],
    ['statefulset.kubernetes.io/pod-name', true], ['kubernetes.io/metadata.name', true], ['topology.kubernetes.io/zone', true],
    ['io.kubernetes.container.name', true], ['k8s.io/foo', true], ['annotation.foo', true], ['etcd_node', true], ['batch.kubernetes.io/job-name', true],
  ])('%s excluded: %s', (key, excluded) => expect(identityExclusionReason(key) !== undefined).toBe(excluded));
});

describe('selector implication', () => {
  const r = (s: unknown) => requirementsOf(s)!;
  it('is conservative and structural', () => {
    expect(selectorImplies(r({ matchLabels: { app: 'a', tier: 'x' } }), r({ matchLabels: { app: 'a' } }))).toBe(true);
    expect(selectorImplies(r({ matchLabels: { app: 'a' } }), r({ matchLabels: { app: 'a', tier: 'x' } }))).toBe(false);
    expect(selectorImplies(r({ matchLabels: { 'k8s:app': 'a' } }), r({ matchLabels: { app: 'a' } }))).toBe(true);
    expect(selectorImplies(r({ matchLabels: { app: 'a' } }), r({ matchLabels: { 'k8s:app': 'a' } }))).toBe(false);
    expect(selectorImplies(r({ matchLabels: { app: 'a' } }), r({}))).toBe(true);
    expect(selectorImplies(r({ matchLabels: { app: 'a' } }), r({ matchExpressions: [{ key: 'app', operator: 'In', values: ['a', 'b'] }] }))).toBe(true);
  });
});
