import * as cnp from '../../imports/cilium-network-policy-cilium.io';
import { MAX_ICMP_FIELDS, MAX_PORTS } from '../cilium/sanitize';
import { invalidProp, underField } from './errors';
import { Fqdn } from './fqdn';
import { Icmp, RenderedIcmpField } from './icmp';
import { HttpRule } from './l7';
import { Peer, RenderContext, RenderedPeer } from './peer';
import { Port, RenderedPort } from './port';
import { unique, uniqueSorted } from './canonical';
import { compareStrings } from '../util/order';
import { Direction } from '../cilium/direction';

/** What a rule allows on its peer: ports (with L7 rules) or ICMP types. */
export interface RuleTrafficProps {
  /** Container ports (the Service's targetPort). @default - all ports and protocols, ICMP included */
  readonly ports?: readonly Port[];
  /** HTTP rules; the ports then render as TCP. @default - no L7 filtering */
  readonly http?: readonly HttpRule[];
  /** ICMP types instead of ports (Cilium allows `icmps` or `toPorts` per rule, not both). @default - none */
  readonly icmps?: readonly Icmp[];
}

export interface IngressRuleProps extends RuleTrafficProps {
  /** Who may connect. */
  readonly from: Peer;
}

export interface EgressRuleProps extends RuleTrafficProps {
  /** Where the selected pods may connect. */
  readonly to: Peer;
  /**
   * DNS rules (`rules: dns`): the queries allowed through Cilium's DNS proxy, which is how
   * Cilium learns the IPs behind `toFQDNs` names. @default - no DNS proxy on these ports
   */
  readonly dns?: readonly Fqdn[];
}

export interface DenyRuleProps extends Omit<RuleTrafficProps, 'http'> {
  /** The peer to deny. */
  readonly peer: Peer;
}

/**
 * The generated L1 types give every field its own nominal enum (operator, protocol, entity)
 * with the same string values; rendered vocabulary data is cast to them at this one boundary.
 */
function asL1<T>(value: unknown): T {
  return value as T;
}

/** One allow element of `ingress` or `egress`. */
export class PolicyRule {
  static ingress(props: IngressRuleProps): PolicyRule {
    return new PolicyRule('ingress', props.from, props.ports, props.http, undefined, false, props.icmps);
  }
  static egress(props: EgressRuleProps): PolicyRule {
    return new PolicyRule('egress', props.to, props.ports, props.http, props.dns, false, props.icmps);
  }
  /** Ingress from pods, entities or CIDRs on ports. */
  static allowFrom(from: Peer, ...ports: Port[]): PolicyRule {
    return PolicyRule.ingress({ from, ports: ports.length ? ports : undefined });
  }
  /** Egress to pods, entities, CIDRs or names on ports. */
  static allowTo(to: Peer, ...ports: Port[]): PolicyRule {
    return PolicyRule.egress({ to, ports: ports.length ? ports : undefined });
  }

  /**
   * An empty ingress element `{}`: it allows nothing and only turns on ingress default-deny
   * for the selected endpoints (Cilium's documented way to deny everything not allowed elsewhere).
   */
  static defaultDenyIngress(): PolicyRule {
    return new PolicyRule('ingress', Peer.anyPeer(), undefined, undefined, undefined, true);
  }
  /** An empty egress element `{}`: allows nothing, turns on egress default-deny. */
  static defaultDenyEgress(): PolicyRule {
    return new PolicyRule('egress', Peer.anyPeer(), undefined, undefined, undefined, true);
  }

  private constructor(
    readonly direction: Direction,
    readonly peer: Peer,
    readonly ports?: readonly Port[],
    readonly http?: readonly HttpRule[],
    readonly dns?: readonly Fqdn[],
    private readonly emptyElement = false,
    readonly icmps?: readonly Icmp[],
  ) {}

  /** @internal */
  _renderIngress(field: string, context: RenderContext): cnp.CiliumNetworkPolicySpecIngress {
    if (this.direction !== 'ingress')
      invalidProp(
        field,
        'egress rule',
        'an egress rule was given where an ingress rule is expected',
        'use PolicyRule.ingress(...)',
      );
    const peer = underField(`${field}.from`, () => this.peer._render('', context));
    if (peer.fqdns)
      invalidProp(
        `${field}.from`,
        'fqdns',
        'DNS names can only be egress peers',
        'use Peer.cidr or entities on ingress',
      );
    return {
      fromEndpoints: asL1(peer.endpoints),
      fromEntities: asL1(peer.entities),
      fromCidrSet: peer.cidrs,
      toPorts: this.renderToPorts(field),
      icmps: asL1(renderIcmps(field, this.icmps, this.ports)),
    };
  }

  /** @internal */
  _renderEgress(field: string, context: RenderContext): cnp.CiliumNetworkPolicySpecEgress {
    if (this.direction !== 'egress')
      invalidProp(
        field,
        'ingress rule',
        'an ingress rule was given where an egress rule is expected',
        'use PolicyRule.egress(...)',
      );
    const peer: RenderedPeer = underField(`${field}.to`, () => this.peer._render('', context));
    const named = (this.ports ?? []).findIndex((p) => typeof p.port === 'string');
    if (named >= 0 && this.peer.kind !== 'endpoints') {
      invalidProp(
        `${field}.ports[${named}]`,
        this.ports![named].port,
        `egress named ports resolve against the destination pods' container ports, so on a ${this.peer.kind} peer they allow nothing`,
        'give the port number',
      );
    }
    return {
      toEndpoints: asL1(peer.endpoints),
      toEntities: asL1(peer.entities),
      toCidrSet: peer.cidrs,
      toFqdNs: asL1(peer.fqdns),
      toPorts: this.renderToPorts(field) as cnp.CiliumNetworkPolicySpecEgressToPorts[] | undefined,
      icmps: asL1(renderIcmps(field, this.icmps, this.ports)),
    };
  }

  private renderToPorts(field: string): cnp.CiliumNetworkPolicySpecIngressToPorts[] | undefined {
    if (this.peer.kind === 'any' && !this.ports?.length && !this.icmps?.length && !this.emptyElement) {
      invalidProp(
        field,
        {},
        'a rule with neither a peer nor ports matches nothing',
        `name a peer (Peer.entities(Entity.ALL) for everything) or ports, or use PolicyRule.defaultDeny${this.direction === 'ingress' ? 'Ingress' : 'Egress'}() on purpose`,
      );
    }
    const hasL7 = !!this.http?.length || !!this.dns?.length;
    if (!this.ports?.length) {
      if (hasL7)
        invalidProp(
          `${field}.ports`,
          [],
          'L7 rules need explicit ports',
          'list the ports the L7 rules apply to, e.g. Port.tcp(8080)',
        );
      return undefined;
    }
    const ports = renderPorts(`${field}.ports`, this.ports).map((p, i) => {
      if (!hasL7) return p;
      if (p.port === '0')
        invalidProp(
          `${field}.ports[${i}]`,
          p.port,
          'L7 rules cannot apply to every port (port 0)',
          'name the ports',
        );
      if (this.http?.length) {
        if (p.protocol !== 'TCP' && p.protocol !== 'ANY') {
          invalidProp(
            `${field}.ports[${i}].protocol`,
            p.protocol,
            'HTTP rules only work on TCP',
            'use Port.tcp(...)',
          );
        }
        return { ...p, protocol: 'TCP' as const };
      }
      if (p.endPort !== undefined)
        invalidProp(
          `${field}.ports[${i}].endPort`,
          p.endPort,
          'DNS rules do not support port ranges',
          'list single ports',
        );
      if (p.protocol === 'SCTP')
        invalidProp(
          `${field}.ports[${i}].protocol`,
          p.protocol,
          'DNS rules need TCP, UDP or ANY',
          'use Port.any(53)',
        );
      return p;
    });
    if (this.http?.length && this.dns?.length) {
      invalidProp(
        field,
        'http+dns',
        'one rule cannot carry both HTTP and DNS rules',
        'split them into two rules',
      );
    }
    const rules = this.http?.length
      ? { http: this.http.map((h, i) => h._render(`${field}.http[${i}]`)) }
      : this.dns?.length
        ? {
            dns: uniqueSorted(
              this.dns.map((d, i) => d._render(`${field}.dns[${i}]`, true)),
            ) as cnp.CiliumNetworkPolicySpecEgressToPortsRulesDns[],
          }
        : undefined;
    return chunk(ports, MAX_PORTS).map((group) => ({
      ports: group.map((p) => ({
        ...p,
        protocol: p.protocol as cnp.CiliumNetworkPolicySpecIngressToPortsPortsProtocol,
      })),
      rules,
    }));
  }
}

/** One deny element of `ingressDeny` or `egressDeny`. Deny always beats allow. */
export class DenyRule {
  static ingress(props: DenyRuleProps): DenyRule {
    return new DenyRule('ingress', props.peer, props.ports, props.icmps);
  }
  static egress(props: DenyRuleProps): DenyRule {
    return new DenyRule('egress', props.peer, props.ports, props.icmps);
  }

  private constructor(
    readonly direction: Direction,
    readonly peer: Peer,
    readonly ports?: readonly Port[],
    readonly icmps?: readonly Icmp[],
  ) {}

  /** @internal */
  _renderIngress(field: string, context: RenderContext): cnp.CiliumNetworkPolicySpecIngressDeny {
    return asL1(this.render(field, context, 'ingress'));
  }

  /** @internal */
  _renderEgress(field: string, context: RenderContext): cnp.CiliumNetworkPolicySpecEgressDeny {
    return asL1(this.render(field, context, 'egress'));
  }

  private render(field: string, context: RenderContext, expected: Direction): unknown {
    if (this.direction !== expected) {
      invalidProp(
        field,
        `${this.direction} deny rule`,
        `a ${this.direction} deny rule was given where an ${expected} deny rule is expected`,
        `use DenyRule.${expected}(...)`,
      );
    }
    const peer = underField(`${field}.peer`, () => this.peer._render('', context));
    if (peer.fqdns)
      invalidProp(
        `${field}.peer`,
        'fqdns',
        'deny rules cannot use DNS names',
        'deny a CIDR or an entity instead',
      );
    const toPorts = this.ports?.length
      ? chunk(renderPorts(`${field}.ports`, this.ports), MAX_PORTS).map((group) => ({
          ports: group,
        }))
      : undefined;
    const icmps = renderIcmps(field, this.icmps, this.ports);
    if (this.direction === 'ingress') {
      return {
        fromEndpoints: asL1(peer.endpoints),
        fromEntities: asL1(peer.entities),
        fromCidrSet: peer.cidrs,
        toPorts,
        icmps,
      };
    }
    return {
      toEndpoints: asL1(peer.endpoints),
      toEntities: asL1(peer.entities),
      toCidrSet: peer.cidrs,
      toPorts,
      icmps,
    };
  }
}

/** `icmps: [{ fields }]`, at most 40 fields per entry; never together with ports in one element. */
function renderIcmps(
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
    (a, b) =>
      compareStrings(a.protocol, b.protocol) || portOrder(a) - portOrder(b) || compareStrings(a.port, b.port),
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
