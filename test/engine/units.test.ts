import { parseIp, parsePrefix, prefixContainsIp, prefixContainsPrefix, parseCidrLabel } from '../../lib/engine/cidr';
import { compileMatchName, compileMatchPattern, normalizeDnsName } from '../../lib/engine/fqdn';
import { isIdentityLabel, parseLabel } from '../../lib/engine/labels';
import { isServiceName, parseIcmpType, parsePolicyPort } from '../../lib/engine/ports';
import { describePeer, describePort } from '../../lib/engine/describe';
import { parsePeer } from '../../lib/engine/peer-syntax';

describe('4.1 FQDN patterns', () => {
  const m = (pattern: string, name: string) => compileMatchPattern(pattern)(normalizeDnsName(name));
  test.each([
    ['*.github.com', 'api.github.com', true],
    ['*.github.com', 'github.com', false],
    ['*.github.com', 'a.b.github.com', false],
    ['**.github.com', 'a.b.github.com', true],
    ['**.github.com', 'github.com', false],
    ['***.github.com', 'a.b.github.com', true],
    ['a.**.com', 'a.x.com', true],
    ['a.**.com', 'a.x.y.com', false],
    ['*github.com', 'github.com', true],
    ['*github.com', 'xgithub.com', true],
    ['*github.com', 'api.github.com', false],
    ['part*ial.com', 'partial.com', true],
    ['part*ial.com', 'part-extra-ial.com', true],
    ['*', 'anything.at.all', true],
    ['**', 'x', true],
    ['*.', 'x.y', true],
    ['*.GitHub.COM.', 'API.github.com', true],
    ['*.github.com', 'api_x.github.com', true],
    ['*.github.com', 'apixgithub.com', false],
  ])('%s vs %s -> %s', (pattern, name, want) => expect(m(pattern, name)).toBe(want));

  test('matchName is exact, case-insensitive, trailing dot optional', () => {
    expect(compileMatchName('API.GitHub.com.')(normalizeDnsName('api.github.com'))).toBe(true);
    expect(compileMatchName('github.com')(normalizeDnsName('api.github.com'))).toBe(false);
  });
});

describe('1.7 addresses and prefixes', () => {
  test.each([
    ['1.2.3.4', 4], ['::1', 6], ['2001:db8::', 6], ['::ffff:1.2.3.4', 6], ['fe80::1:2:3:4:5', 6],
  ])('parses %s', (text, family) => expect(parseIp(text)?.family).toBe(family));
  test.each(['1.2.3', '256.1.1.1', '01.2.3.4', '1::2::3', '12345::', 'x'])('rejects %s', (text) => expect(parseIp(text)).toBeUndefined());
  test('containment', () => {
    const p = parsePrefix('10.0.0.0/8')!;
    expect(prefixContainsIp(p, parseIp('10.255.0.1')!)).toBe(true);
    expect(prefixContainsIp(p, parseIp('11.0.0.1')!)).toBe(false);
    expect(prefixContainsPrefix(p, parsePrefix('10.96.0.0/12')!)).toBe(true);
    expect(prefixContainsPrefix(parsePrefix('10.96.0.0/12')!, p)).toBe(false);
    expect(prefixContainsIp(parsePrefix('2001:db8::/32')!, parseIp('2001:db8:ffff::1')!)).toBe(true);
    expect(prefixContainsIp(parsePrefix('0.0.0.0/0')!, parseIp('::1')!)).toBe(false);
    expect(parsePrefix('10.1.2.3/8')!.value).toBe(parsePrefix('10.0.0.0/8')!.value);
    expect(parsePrefix('10.0.0.0/33')).toBeUndefined();
    expect(parsePrefix('10.0.0.0')).toBeUndefined();
  });
  test('IPv6 CIDR labels use - for :', () => {
    expect(parseCidrLabel('2001-db8--/32')?.text).toBe('2001:db8::/32');
  });
});

describe('3.1 / 10.5 ports', () => {
  test.each([
    ['80', { port: 80 }], ['0', { port: 0 }], ['010', { port: 8 }], ['0777', { port: 511 }], ['65535', { port: 65535 }],
    ['1_000', { port: 1000 }], ['http', { name: 'http' }], ['HTTP-Alt', { name: 'http-alt' }], ['0x10', { name: '0x10' }],
  ])('%s', (text, want) => expect(parsePolicyPort(text)).toEqual(want));
  test.each(['08', '080', '65536', '99999', '-1', '', 'a--b', '_1', '1__0'])('rejects %j', (text) => expect(() => parsePolicyPort(text)).toThrow());
  test('service names', () => {
    expect(isServiceName('https')).toBe(true);
    expect(isServiceName('-http')).toBe(false);
    expect(isServiceName('1234')).toBe(false);
    expect(isServiceName('a-very-long-name-x')).toBe(false);
  });
  test('3.3 ICMP type names are per family', () => {
    expect(parseIcmpType('EchoRequest', 'IPv4')).toBe(8);
    expect(parseIcmpType('EchoRequest', 'IPv6')).toBe(128);
    expect(parseIcmpType('8', 'IPv4')).toBe(8);
    expect(() => parseIcmpType('PacketTooBig', 'IPv4')).toThrow();
    expect(() => parseIcmpType(256, 'IPv4')).toThrow();
  });
});

describe('1.6 identity labels', () => {
  test('parse', () => {
    expect(parseLabel('k8s:app=blog')).toEqual({ source: 'k8s', key: 'app', value: 'blog' });
    expect(parseLabel('reserved:host')).toEqual({ source: 'reserved', key: 'host', value: '' });
    expect(parseLabel('k8s:io.cilium.k8s.namespace.labels.kubernetes.io/metadata.name=x'))
      .toEqual({ source: 'k8s', key: 'io.cilium.k8s.namespace.labels.kubernetes.io/metadata.name', value: 'x' });
    expect(parseLabel('app=a:b')).toEqual({ source: 'unspec', key: 'app', value: 'a:b' });
  });
  test.each([
    ['k8s:io.kubernetes.pod.namespace=x', true],
    ['k8s:io.kubernetes.pod.name=x', false],
    ['k8s:kubernetes.io/hostname=x', false],
    ['k8s:topology.kubernetes.io/zone=x', false],
    ['k8s:beta.kubernetes.io/arch=x', false],
    ['k8s:k8s.io/x=y', false],
    ['k8s:app.kubernetes.io/name=x', true],
    ['k8s:io.cilium.k8s.policy.serviceaccount=x', true],
    ['k8s:io.cilium.k8s.namespace.labels.kubernetes.io/metadata.name=x', true],
    ['k8s:pod-template-hash=x', false],
    ['k8s:controller-revision-hash=x', false],
    ['k8s:annotation.foo=x', false],
    ['k8s:etcd_node=x', false],
    ['k8s:app=x', true],
    ['reserved:host', true],
  ])('%s in identity: %s', (label, want) => expect(isIdentityLabel(parseLabel(label))).toBe(want));
});

describe('descriptions round-trip the CLI syntax', () => {
  test.each([
    'traefik/app.kubernetes.io/instance=traefik-traefik', 'blog/app=blog,tier=web', 'entity:host',
    'entity:kube-apiserver,remote-node', 'fqdn:api.github.com@1.2.3.4', 'cidr:1.2.3.4',
  ])('%s', (text) => expect(describePeer(parsePeer(text))).toBe(text));
  test('ports', () => {
    expect(describePort({ protocol: 'TCP', port: 80 })).toBe('80/TCP');
    expect(describePort({ protocol: 'ICMPv4', icmpType: 8 })).toBe('ICMPv4 type 8 (EchoRequest)');
    expect(describePort({ protocol: 'VRRP' })).toBe('VRRP');
  });
});
