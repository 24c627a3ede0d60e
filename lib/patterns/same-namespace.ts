import { Construct } from 'constructs';
import { atConstruct } from '../policy/errors';
import { validateNamespaceName } from '../policy/labels';
import { Peer } from '../policy/peer';
import { CiliumPolicy } from '../policy/policy';
import { L4Protocol, Port } from '../policy/port';
import { EgressRule, IngressRule } from '../policy/rule';
import { EndpointSelector } from '../policy/selector';
import { requireProps, validatePorts } from './common';
import { ConnectionEnd } from './connection-end';
import { declareConnection } from './verify-connections';

/** Props of `SameNamespaceTraffic`. */
export interface SameNamespaceTrafficProps {
  /** The namespace whose pods reach each other. */
  readonly namespace: string;
  /** Only these pods of the namespace (both as sources and destinations). @default - every pod of the namespace */
  readonly pods?: EndpointSelector;
  /** Only these ports. @default - every port */
  readonly ports?: Port[];
  /** metadata.name. @default - generated */
  readonly policyName?: string;
}

/**
 * Pods of one namespace may reach each other, in both directions: what an app installed by one
 * Helm chart (ArgoCD, a monitoring stack) needs under a cluster default deny. The policy only adds
 * allows (`enableDefaultDeny: false` both ways), so it never closes anything by itself.
 */
export class SameNamespaceTraffic extends Construct {
  /** The policy it synthesizes. */
  readonly policy: CiliumPolicy;

  constructor(scope: Construct, id: string, props: SameNamespaceTrafficProps) {
    super(scope, id);
    atConstruct(this, () => {
      requireProps(props, ['namespace']);
      validateNamespaceName('namespace', props.namespace);
      validatePorts('ports', props.ports, false);
    });
    const peers = Peer.endpoints(
      (props.pods ?? EndpointSelector.allInNamespace(props.namespace)).withDefaultNamespace(props.namespace),
    );
    this.policy = new CiliumPolicy(this, 'Policy', {
      namespace: props.namespace,
      name: props.policyName,
      description: `Pods of ${props.namespace} reach each other (allows only, no default deny)`,
      endpointSelector: props.pods ?? EndpointSelector.all(),
      ingress: [new IngressRule({ from: peers, ports: props.ports })],
      egress: [new EgressRule({ to: peers, ports: props.ports })],
      enableDefaultDeny: { ingress: false, egress: false },
    });
    const pods = ConnectionEnd.pods(
      props.pods ?? EndpointSelector.allInNamespace(props.namespace),
      props.namespace,
    );
    declareConnection(this, { from: pods, to: pods, ports: props.ports ?? [Port.allPorts(L4Protocol.ANY)] });
  }
}
