import { describePeer, describePort } from '../../lib/engine/describe';
import { parsePeer } from '../../lib/engine/peer-syntax';

describe('descriptions round-trip the CLI syntax', () => {
  test.each([
    'traefik/app.kubernetes.io/instance=traefik-traefik',
    'blog/app=blog,tier=web',
    'entity:host',
    'entity:kube-apiserver,remote-node',
    'fqdn:api.github.com@1.2.3.4',
    'cidr:1.2.3.4',
  ])('%s', (text) => expect(describePeer(parsePeer(text))).toBe(text));
  test('ports', () => {
    expect(describePort({ protocol: 'TCP', port: 80 })).toBe('80/TCP');
    expect(describePort({ protocol: 'ICMPv4', icmpType: 8 })).toBe('ICMPv4 type 8 (EchoRequest)');
    expect(describePort({ protocol: 'VRRP' })).toBe('VRRP');
  });
});
