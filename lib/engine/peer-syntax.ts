import { parseIp } from '../cilium/cidr';
import { MATCH_NAME_RE } from '../cilium/fqdn';
import { invalidSelectorKeyReason, isLabelValue, isNamespaceName } from '../cilium/label-keys';
import { NAMESPACE_KEY, NAMESPACE_LABELS_PREFIX, NAMESPACE_NAME_LABEL } from '../cilium/labels';
import { ICMPV4_TYPES, ICMPV6_TYPES, parseIcmpType } from '../cilium/ports';
import { FlowPeer, FlowProtocol } from './types';

/**
 * The endpoint and port syntax of the CLI (`explain --from/--to/--port`).
 *
 * Endpoints:
 * - `ns/k=v,k2=v2`: a pod in namespace `ns` with those labels (the first `/` ends the namespace; keys
 *   may contain `/`). Keys without a source get `k8s:`. The pod also gets
 *   `k8s:io.kubernetes.pod.namespace=ns` and the namespace label Kubernetes sets on every namespace,
 *   `k8s:io.cilium.k8s.namespace.labels.kubernetes.io/metadata.name=ns`; the cluster label is implicit.
 * - `entity:<name>[,<name>...]`: reserved identities. `kube-apiserver` is identity 7, which carries
 *   `reserved:kube-apiserver` and `reserved:remote-node` (an apiserver on another node, docs/cilium-semantics.md, "kube-apiserver");
 *   write `entity:kube-apiserver,host` for an apiserver on the local node.
 * - `fqdn:<name>[@<ip>]`: a world destination the DNS proxy associated with that name.
 * - `cidr:<ip>`: a world peer with that address.
 *
 * Ports: `80/TCP`, `53/UDP`, `443` (TCP), `5000/SCTP`, `VRRP`, `IGMP`, `icmp` (ICMPv4 echo request),
 * `icmpv6` (ICMPv6 echo request), `ICMPv4:8`, `ICMPv6:EchoRequest`.
 */

export class PeerSyntaxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PeerSyntaxError';
  }
}

const ENDPOINT_FORMS =
  'ns/key=value[,key=value...], entity:<host|remote-node|kube-apiserver|ingress|health|init|unmanaged|world|world-ipv4|world-ipv6>, fqdn:<name>[@ip], cidr:<ip>';
const PORT_FORMS = '<port>[/TCP|UDP|SCTP], VRRP, IGMP, icmp, icmpv6, ICMPv4:<type>, ICMPv6:<type>';

const ENTITY_LABELS: Readonly<Record<string, readonly string[]>> = {
  host: ['reserved:host'],
  'remote-node': ['reserved:remote-node'],
  'kube-apiserver': ['reserved:kube-apiserver', 'reserved:remote-node'],
  ingress: ['reserved:ingress'],
  health: ['reserved:health'],
  init: ['reserved:init'],
  unmanaged: ['reserved:unmanaged'],
  world: ['reserved:world'],
  'world-ipv4': ['reserved:world-ipv4'],
  'world-ipv6': ['reserved:world-ipv6'],
};

function fail(text: string, why: string, forms: string): never {
  throw new PeerSyntaxError(
    `bad ${forms === PORT_FORMS ? 'port' : 'endpoint'} "${text}": ${why}; accepted forms: ${forms}`,
  );
}

export function parsePeer(text: string): FlowPeer {
  const t = text.trim();
  if (t.startsWith('entity:')) return entityPeer(text, t.slice('entity:'.length));
  if (t.startsWith('fqdn:')) return fqdnPeer(text, t.slice('fqdn:'.length));
  if (t.startsWith('cidr:')) return cidrPeer(text, t.slice('cidr:'.length));
  return podPeer(text, t);
}

/** `entity:host`, `entity:kube-apiserver,remote-node`. */
function entityPeer(text: string, list: string): FlowPeer {
  const names = list
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (names.length === 0) fail(text, 'no entity named', ENDPOINT_FORMS);
  const labels = new Set<string>();
  for (const n of names) {
    const l = ENTITY_LABELS[n];
    if (!l)
      fail(
        text,
        `"${n}" is not an entity that is a single endpoint (cluster, all and none are sets)`,
        ENDPOINT_FORMS,
      );
    l.forEach((x) => labels.add(x));
  }
  return { labels: [...labels].sort() };
}

/** `fqdn:api.github.com`, `fqdn:api.github.com@140.82.112.5`. */
function fqdnPeer(text: string, rest: string): FlowPeer {
  const [name, ip, extra] = rest.split('@');
  if (extra !== undefined || !name || !MATCH_NAME_RE.test(name))
    fail(text, 'expected a DNS name, optionally followed by @ and an IP', ENDPOINT_FORMS);
  if (ip !== undefined && !parseIp(ip)) fail(text, `"${ip}" is not an IPv4 or IPv6 address`, ENDPOINT_FORMS);
  return { labels: ['reserved:world'], dnsNames: [name], ...(ip !== undefined ? { ip } : {}) };
}

/** `cidr:1.2.3.4`, `cidr:1.2.3.4/32`: one address. */
function cidrPeer(text: string, rest: string): FlowPeer {
  let ip = rest;
  const slash = ip.indexOf('/');
  if (slash >= 0) {
    const len = ip.slice(slash + 1);
    ip = ip.slice(0, slash);
    const full = ip.includes(':') ? '128' : '32';
    if (len !== full) fail(text, `a flow peer is one address; use /${full} or no prefix`, ENDPOINT_FORMS);
  }
  if (!parseIp(ip)) fail(text, `"${ip}" is not an IPv4 or IPv6 address`, ENDPOINT_FORMS);
  return { labels: ['reserved:world'], ip };
}

/** `blog/app=blog,tier=web`: a pod of a namespace with these labels. */
function podPeer(text: string, t: string): FlowPeer {
  const slash = t.indexOf('/');
  if (slash <= 0)
    fail(
      text,
      'expected a namespace, a "/" and pod labels, or a prefix entity:, fqdn:, cidr:',
      ENDPOINT_FORMS,
    );
  const ns = t.slice(0, slash);
  if (!isNamespaceName(ns)) fail(text, `"${ns}" is not a valid namespace name`, ENDPOINT_FORMS);
  const labels = new Set<string>([
    `k8s:${NAMESPACE_KEY}=${ns}`,
    `k8s:${NAMESPACE_LABELS_PREFIX}${NAMESPACE_NAME_LABEL}=${ns}`,
  ]);
  const rest = t.slice(slash + 1);
  for (const part of rest === '' ? [] : rest.split(',')) labels.add(podLabel(text, part));
  return { labels: [...labels].sort() };
}

function podLabel(text: string, part: string): string {
  const eq = part.indexOf('=');
  if (eq <= 0) fail(text, `label "${part}" must be key=value`, ENDPOINT_FORMS);
  const key = part.slice(0, eq).trim();
  const value = part.slice(eq + 1).trim();
  const badKey = invalidSelectorKeyReason(key);
  if (badKey) fail(text, `"${key}" is not a valid label key: ${badKey}`, ENDPOINT_FORMS);
  if (!isLabelValue(value)) fail(text, `"${value}" is not a valid label value`, ENDPOINT_FORMS);
  const sourced = key.includes(':') ? key : `k8s:${key}`;
  if (sourced === `k8s:${NAMESPACE_KEY}`)
    fail(text, 'give the namespace before the "/" instead of as a label', ENDPOINT_FORMS);
  return `${sourced}=${value}`;
}

export function parseFlowPort(text: string): { protocol: FlowProtocol; port?: number; icmpType?: number } {
  const t = text.trim();
  const lower = t.toLowerCase();
  if (lower === 'icmp' || lower === 'icmpv4')
    return { protocol: 'ICMPv4', icmpType: ICMPV4_TYPES.EchoRequest };
  if (lower === 'icmpv6') return { protocol: 'ICMPv6', icmpType: ICMPV6_TYPES.EchoRequest };
  const icmp = /^(icmpv4|icmpv6|icmp):(.+)$/i.exec(t);
  if (icmp) {
    const family = icmp[1].toLowerCase() === 'icmpv6' ? 'IPv6' : 'IPv4';
    const icmpType = parseIcmpType(icmp[2], family);
    if (icmpType === undefined)
      fail(text, `ICMP type "${icmp[2]}" is not a number 0-255 or an ${family} type name`, PORT_FORMS);
    return { protocol: family === 'IPv6' ? 'ICMPv6' : 'ICMPv4', icmpType };
  }
  if (lower === 'vrrp' || lower === 'igmp') return { protocol: lower.toUpperCase() as FlowProtocol };
  const m = /^([0-9]{1,5})(?:\/([A-Za-z]+))?$/.exec(t);
  if (!m) fail(text, 'expected a port number with an optional /protocol', PORT_FORMS);
  const port = Number(m[1]);
  if (port < 1 || port > 65535) fail(text, 'the port must be 1-65535', PORT_FORMS);
  const proto = (m[2] ?? 'TCP').toUpperCase();
  if (proto !== 'TCP' && proto !== 'UDP' && proto !== 'SCTP')
    fail(text, `"${m[2]}" is not TCP, UDP or SCTP`, PORT_FORMS);
  return { protocol: proto as FlowProtocol, port };
}
