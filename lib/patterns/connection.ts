import { Construct } from 'constructs';
import { atConstruct, invalidProp } from '../policy/errors';
import { CiliumPolicy } from '../policy/policy';
import { Port } from '../policy/port';
import { EgressRule, IngressRule } from '../policy/rule';
import { dnsEgressRule, requireProps, validatePorts } from './common';
import { ConnectionEnd, ConnectionEndLike } from './connection-end';
import { declareConnection } from './verify-connections';

/** Props of `Connection`. */
export interface ConnectionProps {
  /** Where the connection starts: pods (selector with a namespace, or a workload construct), or an entity. */
  readonly from: ConnectionEndLike;
  /** Where it goes: pods, an entity, a DNS name (`Fqdn.name(...)`) or `ConnectionEnd.cidr(...)`. */
  readonly to: ConnectionEndLike;
  /** The destination's container ports. */
  readonly ports: Port[];
  /** Namespace for pod selectors that name none. @default - selectors must name their namespace */
  readonly namespace?: string;
  /**
   * Write the source's side: a CiliumNetworkPolicy in the source's namespace allowing egress to the
   * destination on the ports. It adds an allow without making the source egress default-deny
   * (`enableDefaultDeny.egress: false`), so nothing else the source does changes.
   * @default false
   */
  readonly allowAtSource?: boolean;
  /**
   * Write the destination's side: a CiliumNetworkPolicy in the destination's namespace allowing
   * ingress from the source on the ports, without making it ingress default-deny.
   * @default false
   */
  readonly allowAtDestination?: boolean;
}

/**
 * A connection the app means to allow. It is verified at synth against every policy of the app
 * with enforcement on; `allowAtSource` / `allowAtDestination` write the sides the app's other
 * policies do not already allow.
 */
export class Connection extends Construct {
  /** Where the connection starts. */
  readonly from: ConnectionEnd;
  /** Where the connection ends. */
  readonly to: ConnectionEnd;
  /** The policies written for `allowAtSource` / `allowAtDestination`. */
  readonly sourcePolicy?: CiliumPolicy;
  /** The allow-only policy at the destination, with `allowAtDestination`. */
  readonly destinationPolicy?: CiliumPolicy;

  constructor(scope: Construct, id: string, props: ConnectionProps) {
    super(scope, id);
    const plan = atConstruct(this, () => {
      requireProps(props, ['from', 'to', 'ports']);
      const from = ConnectionEnd.of(props.from, props.namespace);
      const to = ConnectionEnd.of(props.to, props.namespace);
      from._validate('from');
      to._validate('to');
      validatePorts('ports', props.ports);
      if (props.allowAtSource && from.kind !== 'pods') {
        invalidProp(
          'allowAtSource',
          true,
          `the source is ${from.describe()}, not pods: only pods have policies of their own`,
          'drop `allowAtSource`',
        );
      }
      if (props.allowAtDestination && to.kind !== 'pods') {
        invalidProp(
          'allowAtDestination',
          true,
          `the destination is ${to.describe()}, not pods: only pods have policies of their own`,
          'drop `allowAtDestination`',
        );
      }
      return { from, to };
    });
    this.from = plan.from;
    this.to = plan.to;
    declareConnection(this, { from: plan.from, to: plan.to, ports: props.ports });
    const what = `${plan.from.describe()} -> ${plan.to.describe()}`;
    if (props.allowAtSource) {
      this.sourcePolicy = new CiliumPolicy(this, 'source', {
        namespace: plan.from.namespace,
        description: `Allows ${what} at the source (adds an allow, not a default deny)`,
        endpointSelector: plan.from.selector!,
        egress: [
          new EgressRule({ to: plan.to.peer(), ports: props.ports }),
          ...(plan.to.kind === 'fqdn' ? [dnsEgressRule()] : []),
        ],
        enableDefaultDeny: { egress: false },
      });
    }
    if (props.allowAtDestination) {
      this.destinationPolicy = new CiliumPolicy(this, 'destination', {
        namespace: plan.to.namespace,
        description: `Allows ${what} at the destination (adds an allow, not a default deny)`,
        endpointSelector: plan.to.selector!,
        ingress: [new IngressRule({ from: plan.from.peer(), ports: props.ports })],
        enableDefaultDeny: { ingress: false },
      });
    }
  }
}
