import * as cnp from '../../imports/cilium-network-policy-cilium.io';
import { MAX_ICMP_FIELDS, MAX_PORTS } from '../cilium/sanitize';
import { unique, uniqueSorted } from './canonical';
import { invalidProp } from './errors';
import { Fqdn } from './fqdn';
import { Icmp, RenderedIcmpField } from './icmp';
import { HttpRule } from './l7';
import { RenderedPeer } from './peer';
import { Port, RenderedPort } from './port';
import { compare } from './selector';

/** The traffic part of an allow rule, as the rule classes hold it. */
export interface RuleTraffic {
  readonly ports?: readonly Port[];
  readonly http?: readonly HttpRule[];
  readonly dns?: readonly Fqdn[];
  readonly icmps?: readonly Icmp[];
}

/**
 * The generated L1 types give every field its own nominal enum (operator, protocol, entity)
 * with the same string values; rendered vocabulary data is cast to them at this one boundary.
 */
export function asL1<T>(value: unknown): T {
  return value as T;
}

/** `toPorts` of an allow rule: the ports, with the HTTP or DNS rules that apply to them. */
export function renderToPorts(
  field: string,
  direction: 'ingress' | 'egress',
  peer: RenderedPeer,
  traffic: RuleTraffic,
): cnp.CiliumNetworkPolicySpecIngressToPorts[] | undefined {
  const anyPeer = !peer.endpoints && !peer.entities && !peer.cidrs && !peer.fqdns;
  if (anyPeer && !traffic.ports?.length && !traffic.icmps?.length) {
    const Rule = direction === 'ingress' ? 'IngressRule' : 'EgressRule';
    invalidProp(
      field,
      {},
      'a rule with neither a peer nor ports matches nothing',
      `name a peer (Peer.entities(Entity.ALL) for everything) or ports, or use ${Rule}.defaultDeny() on purpose`,
    );
  }
  const hasL7 = !!traffic.http?.length || !!traffic.dns?.length;
  if (!traffic.ports?.length) {
    if (hasL7)
      invalidProp(
        `${field}.ports`,
        [],
        'L7 rules need explicit ports',
        'list the ports the L7 rules apply to, e.g. Port.tcp(8080)',
      );
    return undefined;
  }
  const ports = renderPorts(`${field}.ports`, traffic.ports).map((p, i) =>
    hasL7 ? checkL7Port(`${field}.ports[${i}]`, p, traffic) : p,
  );
  if (traffic.http?.length && traffic.dns?.length) {
    invalidProp(
      field,
      'http+dns',
      'one rule cannot carry both HTTP and DNS rules',
      'split them into two rules',
    );
  }
  const rules = renderL7(field, traffic);
  return chunk(ports, MAX_PORTS).map((group) => ({
    ports: group.map((p) => ({
      ...p,
      protocol: p.protocol as cnp.CiliumNetworkPolicySpecIngressToPortsPortsProtocol,
    })),
    rules,
  }));
}

/** `toPorts` of a deny rule: ports only. */
export function renderDenyToPorts(
  field: string,
  ports: readonly Port[] | undefined,
): Array<{ ports: RenderedPort[] }> | undefined {
  return ports?.length
    ? chunk(renderPorts(`${field}.ports`, ports), MAX_PORTS).map((group) => ({ ports: group }))
    : undefined;
}

function checkL7Port(field: string, p: RenderedPort, traffic: RuleTraffic): RenderedPort {
  if (p.port === '0')
    invalidProp(field, p.port, 'L7 rules cannot apply to every port (port 0)', 'name the ports');
  if (traffic.http?.length) {
    if (p.protocol !== 'TCP' && p.protocol !== 'ANY') {
      invalidProp(`${field}.protocol`, p.protocol, 'HTTP rules only work on TCP', 'use Port.tcp(...)');
    }
    return { ...p, protocol: 'TCP' };
  }
  if (p.endPort !== undefined)
    invalidProp(`${field}.endPort`, p.endPort, 'DNS rules do not support port ranges', 'list single ports');
  if (p.protocol === 'SCTP')
    invalidProp(`${field}.protocol`, p.protocol, 'DNS rules need TCP, UDP or ANY', 'use Port.any(53)');
  return p;
}

function renderL7(
  field: string,
  traffic: RuleTraffic,
): cnp.CiliumNetworkPolicySpecIngressToPortsRules | undefined {
  if (traffic.http?.length) return { http: traffic.http.map((h, i) => h._render(`${field}.http[${i}]`)) };
  if (traffic.dns?.length) {
    return {
      dns: uniqueSorted(
        traffic.dns.flatMap((d, i) => d._render(`${field}.dns[${i}]`, true)),
      ) as cnp.CiliumNetworkPolicySpecEgressToPortsRulesDns[],
    };
  }
  return undefined;
}

/** `icmps: [{ fields }]`, at most 40 fields per entry; never together with ports in one element. */
export function renderIcmps(
  field: string,
  icmps: readonly Icmp[] | undefined,
  ports: readonly Port[] | undefined,
): cnp.CiliumNetworkPolicySpecIngressIcmps[] | undefined {
  if (!icmps?.length) return undefined;
  if (ports?.length)
    invalidProp(
      `${field}.icmps`,
      icmps.length,
      'Cilium rejects icmps and toPorts in the same rule',
      'split them into two rules',
    );
  const fields = uniqueSorted(icmps.map((i, n) => i._render(`${field}.icmps[${n}]`))).map(toL1IcmpField);
  return chunk(fields, MAX_ICMP_FIELDS).map((group) => ({ fields: group }));
}

/** The generated type wraps the int-or-string ICMP type in a class of its own. */
function toL1IcmpField(f: RenderedIcmpField): cnp.CiliumNetworkPolicySpecIngressIcmpsFields {
  const type =
    typeof f.type === 'number'
      ? cnp.CiliumNetworkPolicySpecIngressIcmpsFieldsType.fromNumber(f.type)
      : cnp.CiliumNetworkPolicySpecIngressIcmpsFieldsType.fromString(f.type);
  return { family: asL1(f.family), type };
}

function renderPorts(field: string, ports: readonly Port[]): RenderedPort[] {
  const rendered = ports.map((p, i) => p._render(`${field}[${i}]`));
  return unique(rendered).sort(
    (a, b) => compare(a.protocol, b.protocol) || portOrder(a) - portOrder(b) || compare(a.port, b.port),
  );
}

function portOrder(p: RenderedPort): number {
  return /^\d+$/.test(p.port) ? Number(p.port) : 65536;
}

function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
