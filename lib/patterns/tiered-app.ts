import { Construct } from 'constructs';
import { atConstruct, invalidProp } from '../policy/errors';
import { Peer } from '../policy/peer';
import { CiliumPolicy } from '../policy/policy';
import { Port } from '../policy/port';
import { PolicyRule } from '../policy/rule';
import { EndpointSelector } from '../policy/selector';
import {
  dnsEgressRule, DnsRuleOptions, hostAndHealthRule, PodsSelection, requireNonEmptySelector, resolveNamespace,
  validatePorts,
} from './common';
import { IngressController } from './ingress-controller';

export interface TierProps {
  /** Short name used in policy names and descriptions (`postgres`). */
  readonly name: string;
  /** The tier's pods. */
  readonly pods: PodsSelection;
  /** The container ports the tier listens on. */
  readonly ports: readonly Port[];
  /** Allow `host` (probes) and `health`. Always on when the workload has probes. @default true */
  readonly allowHost?: boolean;
  /** metadata.name of the tier's policy. @default - generated */
  readonly policyName?: string;
  /** More ingress rules for the tier (e.g. Prometheus scraping). @default - none */
  readonly additionalIngress?: readonly PolicyRule[];
}

export interface TieredAppProps {
  /** Namespace of all tiers. @default - the front workload's namespace */
  readonly namespace?: string;
  /** The tier the ingress controller reaches (the web app). */
  readonly front: TierProps;
  /** Tiers only the front reaches (a database, a cache). */
  readonly backends: readonly TierProps[];
  /** The ingress controller allowed into the front tier. */
  readonly ingressController: IngressController;
  /**
   * Lock down the front tier's egress to its backends and the cluster DNS.
   * @default false
   */
  readonly restrictFrontEgress?: boolean;
  /** DNS settings for the front egress lock-down. @default - kube-dns on 53, all queries */
  readonly dns?: DnsRuleOptions;
  /** More egress allowed to the front tier under the lock-down (an external API, the API server). @default - none */
  readonly additionalFrontEgress?: readonly PolicyRule[];
}

/**
 * A front tier reachable from the ingress controller and backends reachable only from the
 * front (the seed's webapp + postgres). Peers carry their namespace, so the rules keep their
 * meaning if promoted to a clusterwide policy.
 */
export class TieredApp extends Construct {
  readonly frontPolicy: CiliumPolicy;
  readonly backendPolicies: Record<string, CiliumPolicy>;

  constructor(scope: Construct, id: string, props: TieredAppProps) {
    super(scope, id);
    const plan = atConstruct(this, () => {
      if (!props.backends?.length) invalidProp('backends', [], 'no backend tier given', 'add a backend, or use IngressOnlyApp');
      const front = EndpointSelector.of(props.front.pods);
      requireNonEmptySelector('front.pods', front);
      const namespace = resolveNamespace('namespace', props.namespace, front);
      const names = new Set<string>([props.front.name]);
      const backends = props.backends.map((b, i) => {
        const selector = EndpointSelector.of(b.pods);
        requireNonEmptySelector(`backends[${i}].pods`, selector);
        resolveNamespace(`backends[${i}].pods`, namespace, selector);
        if (names.has(b.name)) invalidProp(`backends[${i}].name`, b.name, 'tier names must be unique', 'rename the tier');
        names.add(b.name);
        validatePorts(`backends[${i}].ports`, b.ports);
        return { props: b, selector: selector.withDefaultNamespace(namespace), host: hostAndHealthRule(`backends[${i}].allowHost`, b.allowHost, b.pods) };
      });
      validatePorts('front.ports', props.front.ports);
      props.ingressController._validate('ingressController');
      if (!props.restrictFrontEgress && (props.dns || props.additionalFrontEgress?.length)) {
        invalidProp(props.dns ? 'dns' : 'additionalFrontEgress', props.dns ? 'set' : props.additionalFrontEgress!.length,
          'only used when the front egress is locked down', 'set `restrictFrontEgress: true`, or drop it');
      }
      return {
        namespace,
        front: front.withDefaultNamespace(namespace),
        frontHost: hostAndHealthRule('front.allowHost', props.front.allowHost, props.front.pods),
        backends,
      };
    });

    const toBackends = plan.backends.map((b) => PolicyRule.egress({ to: Peer.endpoints(b.selector), ports: b.props.ports }));
    this.frontPolicy = new CiliumPolicy(this, props.front.name, {
      namespace: plan.namespace,
      name: props.front.policyName,
      description: `${props.front.name}: ingress only from ${props.ingressController.name}`
        + (props.restrictFrontEgress ? `; egress only to ${plan.backends.map((b) => b.props.name).join(', ')} and DNS` : ''),
      endpointSelector: plan.front,
      ingress: [
        PolicyRule.ingress({ from: props.ingressController.peer, ports: props.front.ports }),
        ...(plan.frontHost ? [plan.frontHost] : []),
        ...(props.front.additionalIngress ?? []),
      ],
      egress: props.restrictFrontEgress ? [...toBackends, dnsEgressRule(props.dns), ...(props.additionalFrontEgress ?? [])] : undefined,
    });
    this.backendPolicies = {};
    for (const b of plan.backends) {
      this.backendPolicies[b.props.name] = new CiliumPolicy(this, b.props.name, {
        namespace: plan.namespace,
        name: b.props.policyName,
        description: `${b.props.name}: ingress only from ${props.front.name}`,
        endpointSelector: b.selector,
        ingress: [
          PolicyRule.ingress({ from: Peer.endpoints(plan.front), ports: b.props.ports }),
          ...(b.host ? [b.host] : []),
          ...(b.props.additionalIngress ?? []),
        ],
      });
    }
  }

}
