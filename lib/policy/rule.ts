import * as cnp from '../../imports/cilium-network-policy-cilium.io';
import { invalidProp, underField } from './errors';
import { Fqdn } from './fqdn';
import { Icmp } from './icmp';
import { HttpRule } from './l7';
import { AnyPeer, IPeer, RenderContext, RenderedPeer } from './peer';
import { Port } from './port';
import { asL1, renderDenyToPorts, renderIcmps, renderToPorts } from './rule-render';

/** What a rule allows on its peer: ports (with L7 rules) or ICMP types. */
export interface RuleTrafficProps {
  /** Container ports (the Service's targetPort). @default - all ports and protocols, ICMP included */
  readonly ports?: Port[];
  /** ICMP types instead of ports (Cilium allows `icmps` or `toPorts` per rule, not both). @default - none */
  readonly icmps?: Icmp[];
}

/** Props of `IngressRule`. */
export interface IngressRuleProps extends RuleTrafficProps {
  /** Who may connect. */
  readonly from: IPeer;
  /** HTTP rules; the ports then render as TCP. @default - no L7 filtering */
  readonly http?: HttpRule[];
}

/** Props of `EgressRule`. */
export interface EgressRuleProps extends RuleTrafficProps {
  /** Where the selected pods may connect. */
  readonly to: IPeer;
  /** HTTP rules; the ports then render as TCP. @default - no L7 filtering */
  readonly http?: HttpRule[];
  /**
   * DNS rules (`rules: dns`): the queries allowed through Cilium's DNS proxy, which is how
   * Cilium learns the IPs behind `toFQDNs` names. @default - no DNS proxy on these ports
   */
  readonly dns?: Fqdn[];
}

/** Props of `IngressDenyRule`. */
export interface IngressDenyRuleProps extends RuleTrafficProps {
  /** The peer whose traffic is denied. */
  readonly from: IPeer;
}

/** Props of `EgressDenyRule`. */
export interface EgressDenyRuleProps extends RuleTrafficProps {
  /** The peer traffic to which is denied. */
  readonly to: IPeer;
}

/** The peer of the empty default-deny rules `{}`. */
const DEFAULT_DENY = new AnyPeer();

/** One element of a policy's `ingress`: who may connect to the selected pods, on which ports. */
export class IngressRule {
  /** Ingress from pods, entities or CIDRs on ports (every port when none is given). */
  static allowFrom(from: IPeer, ...ports: Port[]): IngressRule {
    return new IngressRule({ from, ports: ports.length ? ports : undefined });
  }

  /**
   * An empty ingress element `{}`: it allows nothing and only turns on ingress default-deny
   * for the selected endpoints (Cilium's documented way to deny everything not allowed elsewhere).
   */
  static defaultDeny(): IngressRule {
    return new IngressRule({ from: DEFAULT_DENY });
  }

  /** Who may connect. */
  readonly from: IPeer;

  constructor(private readonly props: IngressRuleProps) {
    this.from = props.from;
  }

  /** @internal */
  _render(field: string, context: RenderContext): cnp.CiliumNetworkPolicySpecIngress {
    const props = this.props;
    if (props.from === DEFAULT_DENY) return {};
    const peer = underField(`${field}.from`, () => props.from._render('', context));
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
      toPorts: renderToPorts(field, 'ingress', peer, props),
      icmps: asL1(renderIcmps(field, props.icmps, props.ports)),
    };
  }
}

/** One element of a policy's `egress`: where the selected pods may connect, on which ports. */
export class EgressRule {
  /** Egress to pods, entities, CIDRs or names on ports (every port when none is given). */
  static allowTo(to: IPeer, ...ports: Port[]): EgressRule {
    return new EgressRule({ to, ports: ports.length ? ports : undefined });
  }

  /** An empty egress element `{}`: allows nothing, turns on egress default-deny. */
  static defaultDeny(): EgressRule {
    return new EgressRule({ to: DEFAULT_DENY });
  }

  /** Where the pods may connect. */
  readonly to: IPeer;

  constructor(private readonly props: EgressRuleProps) {
    this.to = props.to;
  }

  /** @internal */
  _render(field: string, context: RenderContext): cnp.CiliumNetworkPolicySpecEgress {
    const props = this.props;
    if (props.to === DEFAULT_DENY) return {};
    const peer: RenderedPeer = underField(`${field}.to`, () => props.to._render('', context));
    const named = (props.ports ?? []).findIndex((p) => typeof p.port === 'string');
    if (named >= 0 && !peer.endpoints) {
      invalidProp(
        `${field}.ports[${named}]`,
        props.ports![named].port,
        `egress named ports resolve against the destination pods' container ports, so on a ${peerKind(peer)} peer they allow nothing`,
        'give the port number',
      );
    }
    return {
      toEndpoints: asL1(peer.endpoints),
      toEntities: asL1(peer.entities),
      toCidrSet: peer.cidrs,
      toFqdNs: asL1(peer.fqdns),
      toPorts: renderToPorts(field, 'egress', peer, props) as
        cnp.CiliumNetworkPolicySpecEgressToPorts[] | undefined,
      icmps: asL1(renderIcmps(field, props.icmps, props.ports)),
    };
  }
}

/** One element of a policy's `ingressDeny`. Deny always beats allow. */
export class IngressDenyRule {
  constructor(private readonly props: IngressDenyRuleProps) {}

  /** @internal */
  _render(field: string, context: RenderContext): cnp.CiliumNetworkPolicySpecIngressDeny {
    const peer = renderDenyPeer(`${field}.from`, this.props.from, context);
    return asL1({
      fromEndpoints: peer.endpoints,
      fromEntities: peer.entities,
      fromCidrSet: peer.cidrs,
      toPorts: renderDenyToPorts(field, this.props.ports),
      icmps: renderIcmps(field, this.props.icmps, this.props.ports),
    });
  }
}

/** One element of a policy's `egressDeny`. Deny always beats allow. */
export class EgressDenyRule {
  constructor(private readonly props: EgressDenyRuleProps) {}

  /** @internal */
  _render(field: string, context: RenderContext): cnp.CiliumNetworkPolicySpecEgressDeny {
    const peer = renderDenyPeer(`${field}.to`, this.props.to, context);
    return asL1({
      toEndpoints: peer.endpoints,
      toEntities: peer.entities,
      toCidrSet: peer.cidrs,
      toPorts: renderDenyToPorts(field, this.props.ports),
      icmps: renderIcmps(field, this.props.icmps, this.props.ports),
    });
  }
}

function renderDenyPeer(field: string, peer: IPeer, context: RenderContext): RenderedPeer {
  const rendered = underField(field, () => peer._render('', context));
  if (rendered.fqdns)
    invalidProp(field, 'fqdns', 'deny rules cannot use DNS names', 'deny a CIDR or an entity instead');
  return rendered;
}

function peerKind(peer: RenderedPeer): string {
  if (peer.entities) return 'entities';
  if (peer.cidrs) return 'cidr';
  if (peer.fqdns) return 'fqdns';
  return 'any';
}
