import { Construct } from 'constructs';
import { atConstruct } from '../policy/errors';
import { CiliumPolicy } from '../policy/policy';
import { Port } from '../policy/port';
import { IngressRule } from '../policy/rule';
import { EndpointSelector } from '../policy/selector';
import {
  hostAndHealthRule,
  PodsSelection,
  requireNonEmptySelector,
  requireProps,
  resolveNamespace,
  validatePorts,
} from './common';
import { ConnectionEnd } from './connection-end';
import { routeFromController } from './routes';
import { IngressController } from './ingress-controller';

/** Props of `IngressOnlyApp`. */
export interface IngressOnlyAppProps {
  /** The app's pods: a selector or a workload construct. */
  readonly pods: PodsSelection;
  /**
   * The ports the app's containers listen on (the Service's `targetPort`, not its `port`).
   * `Port.fromService(service)` resolves a Service to its target ports.
   */
  readonly ports: Port[];
  /** The ingress controller allowed in. */
  readonly ingressController: IngressController;
  /** Namespace of the app. @default - the workload's namespace */
  readonly namespace?: string;
  /** Allow `host` (kubelet probes) and `health`. Always on when the workload has probes. @default true */
  readonly allowHost?: boolean;
  /** More ingress rules for the same pods (e.g. Prometheus scraping). @default - none */
  readonly additionalIngress?: IngressRule[];
  /** metadata.name of the policy. @default - generated */
  readonly policyName?: string;
  /** @default - a sentence naming the controller and ports */
  readonly description?: string;
}

/**
 * An app only its ingress controller can reach, on its container ports: ingress default-deny
 * for the app's pods, allowing the controller, and the host and health entities. The controller
 * -> app connection is declared (verified at synth) and routed to the controller's own policy
 * when the app has an IngressControllerPolicy.
 */
export class IngressOnlyApp extends Construct {
  /** The policy it synthesizes. */
  readonly policy: CiliumPolicy;

  constructor(scope: Construct, id: string, props: IngressOnlyAppProps) {
    super(scope, id);
    const { app, namespace, rules } = atConstruct(this, () => {
      requireProps(props, ['pods', 'ports', 'ingressController']);
      const selector = EndpointSelector.of(props.pods);
      requireNonEmptySelector('pods', selector);
      validatePorts('ports', props.ports);
      props.ingressController._validate('ingressController');
      const host = hostAndHealthRule('allowHost', props.allowHost, props.pods);
      return {
        app: selector,
        namespace: resolveNamespace('namespace', props.namespace, selector),
        rules: [
          new IngressRule({ from: props.ingressController.peer, ports: props.ports }),
          ...(host ? [host] : []),
          ...(props.additionalIngress ?? []),
        ],
      };
    });
    this.policy = new CiliumPolicy(this, 'Policy', {
      namespace,
      name: props.policyName,
      description:
        props.description ?? `Ingress only from ${props.ingressController.name} on the app's container ports`,
      endpointSelector: app,
      ingress: rules,
    });
    const pods = app.withDefaultNamespace(namespace);
    routeFromController(
      this,
      props.ingressController,
      pods,
      props.ports,
      ConnectionEnd.pods(props.pods, namespace),
    );
  }
}
