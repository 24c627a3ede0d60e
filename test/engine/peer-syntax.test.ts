import { parsePeer, parseFlowPort, PeerSyntaxError } from '../../lib/engine/peer-syntax';

describe('parsePeer', () => {
  test.each([
    [
      'traefik/app.kubernetes.io/instance=traefik-traefik',
      [
        'k8s:app.kubernetes.io/instance=traefik-traefik',
        'k8s:io.cilium.k8s.namespace.labels.kubernetes.io/metadata.name=traefik',
        'k8s:io.kubernetes.pod.namespace=traefik',
      ],
    ],
    [
      'blog/app=blog,tier=web',
      [
        'k8s:app=blog',
        'k8s:io.cilium.k8s.namespace.labels.kubernetes.io/metadata.name=blog',
        'k8s:io.kubernetes.pod.namespace=blog',
        'k8s:tier=web',
      ],
    ],
    [
      'blog/',
      [
        'k8s:io.cilium.k8s.namespace.labels.kubernetes.io/metadata.name=blog',
        'k8s:io.kubernetes.pod.namespace=blog',
      ],
    ],
    [
      'ns/container:role=x',
      [
        'container:role=x',
        'k8s:io.cilium.k8s.namespace.labels.kubernetes.io/metadata.name=ns',
        'k8s:io.kubernetes.pod.namespace=ns',
      ],
    ],
    ['entity:host', ['reserved:host']],
    // docs/cilium-semantics.md, "kube-apiserver": identity 7 carries kube-apiserver and remote-node
    ['entity:kube-apiserver', ['reserved:kube-apiserver', 'reserved:remote-node']],
    ['entity:kube-apiserver,host', ['reserved:host', 'reserved:kube-apiserver', 'reserved:remote-node']],
    ['entity:world', ['reserved:world']],
  ])('%s', (text, labels) => {
    expect(parsePeer(text).labels).toEqual(labels);
  });

  test('fqdn: and cidr: are world peers', () => {
    expect(parsePeer('fqdn:api.github.com')).toEqual({
      labels: ['reserved:world'],
      dnsNames: ['api.github.com'],
    });
    expect(parsePeer('fqdn:api.github.com@140.82.112.5')).toEqual({
      labels: ['reserved:world'],
      dnsNames: ['api.github.com'],
      ip: '140.82.112.5',
    });
    expect(parsePeer('cidr:1.2.3.4')).toEqual({ labels: ['reserved:world'], ip: '1.2.3.4' });
    expect(parsePeer('cidr:2001:db8::1/128')).toEqual({ labels: ['reserved:world'], ip: '2001:db8::1' });
  });

  test.each([
    ['traefik', /namespace, a "\/"/],
    ['entity:cluster', /cluster, all and none are sets/],
    ['entity:nope', /"nope"/],
    ['fqdn:bad name', /DNS name/],
    ['fqdn:a.com@999.1.1.1', /not an IPv4 or IPv6 address/],
    ['cidr:10.0.0.0/8', /one address/],
    ['cidr:banana', /not an IPv4/],
    ['Bad_NS/app=x', /not a valid namespace/],
    ['ns/app', /must be key=value/],
    ['ns/app=x y', /not a valid label value/],
    ['ns/io.kubernetes.pod.namespace=other', /namespace before the/],
  ])('rejects %s with the bad text and the accepted forms', (text, why) => {
    expect(() => parsePeer(text)).toThrow(PeerSyntaxError);
    expect(() => parsePeer(text)).toThrow(why);
    expect(() => parsePeer(text)).toThrow(text);
    expect(() => parsePeer(text)).toThrow(/accepted forms: ns\/key=value/);
  });
});

describe('parseFlowPort', () => {
  test.each([
    ['80/TCP', { protocol: 'TCP', port: 80 }],
    ['53/udp', { protocol: 'UDP', port: 53 }],
    ['443', { protocol: 'TCP', port: 443 }],
    ['5000/SCTP', { protocol: 'SCTP', port: 5000 }],
    ['icmp', { protocol: 'ICMPv4', icmpType: 8 }],
    ['icmpv6', { protocol: 'ICMPv6', icmpType: 128 }],
    ['ICMPv4:8', { protocol: 'ICMPv4', icmpType: 8 }],
    ['ICMPv4:TimeExceeded', { protocol: 'ICMPv4', icmpType: 11 }],
    ['ICMPv6:EchoRequest', { protocol: 'ICMPv6', icmpType: 128 }],
    ['VRRP', { protocol: 'VRRP' }],
  ])('%s', (text, want) => {
    expect(parseFlowPort(text)).toEqual(want);
  });

  test.each(['80/ICMP', '0', '70000', 'http', 'ICMPv4:PacketTooBig', '80/'])('rejects %s', (text) => {
    expect(() => parseFlowPort(text)).toThrow(/accepted forms/);
  });
});
