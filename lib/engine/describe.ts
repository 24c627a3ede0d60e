import { isIdentityLabel } from '../cilium/identity-labels';
import { NAMESPACE_KEY, parseLabel } from '../cilium/labels';
import { icmpTypeName } from '../cilium/ports';
import { Flow, FlowPeer, RuleRef } from './types';
import { describeObject } from '../manifest/object-ref';
import { classifyIdentity } from '../cilium/identity-class';

/** Short human names for peers, ports and rules, in the CLI's endpoint syntax. */

/** `blog/app=blog`, `entity:host`, `fqdn:api.github.com@1.2.3.4`, `cidr:1.2.3.4`. */
export function describePeer(peer: FlowPeer): string {
  // The engine names the same peers in many notes: the label part is computed once per label list.
  if (peer.ip === undefined && peer.dnsNames === undefined) {
    let text = byLabels.get(peer.labels);
    if (text === undefined) byLabels.set(peer.labels, (text = describeLabels(peer)));
    return text;
  }
  return describeLabels(peer);
}

const byLabels = new WeakMap<readonly string[], string>();

function describeLabels(peer: FlowPeer): string {
  const labels = peer.labels.map(parseLabel).filter(isIdentityLabel);
  const { namespace: ns, reserved, byAddress } = classifyIdentity(labels);
  if (ns !== undefined) {
    const own = labels
      .filter((l) => l.key !== NAMESPACE_KEY && !l.key.startsWith('io.cilium.k8s.'))
      .map((l) => `${l.source === 'k8s' ? '' : `${l.source}:`}${l.key}=${l.value}`)
      .sort();
    return `${ns}/${own.join(',')}`;
  }
  if (byAddress && peer.dnsNames && peer.dnsNames.length > 0) {
    return `fqdn:${peer.dnsNames[0]}${peer.ip ? `@${peer.ip}` : ''}`;
  }
  if (byAddress && peer.ip) return `cidr:${peer.ip}`;
  if (reserved.length > 0) return `entity:${reserved.join(',')}`;
  return labels.length > 0
    ? labels.map((l) => `${l.source}:${l.key}${l.value ? `=${l.value}` : ''}`).join(',')
    : '(no labels)';
}

/** `80/TCP`, `ICMPv4 type 8 (EchoRequest)`, `VRRP`. */
export function describePort(flow: Pick<Flow, 'protocol' | 'port' | 'icmpType'>): string {
  if (flow.protocol === 'ICMPv4' || flow.protocol === 'ICMPv6') {
    if (flow.icmpType === undefined) return flow.protocol;
    const name = icmpTypeName(flow.icmpType, flow.protocol === 'ICMPv4' ? 'IPv4' : 'IPv6');
    return `${flow.protocol} type ${flow.icmpType}${name ? ` (${name})` : ''}`;
  }
  return flow.port === undefined ? flow.protocol : `${flow.port}/${flow.protocol}`;
}

/** `CiliumNetworkPolicy blog/allow-web spec.ingress[0]`. */
export function describeRule(ref: RuleRef, withPath = true): string {
  const id = describeObject(ref);
  return withPath ? `${id} ${ref.path}` : id;
}
