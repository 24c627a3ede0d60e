import { Construct } from 'constructs';
import { atConstruct, invalidProp } from '../policy/errors';
import { Peer } from '../policy/peer';
import { CiliumPolicy } from '../policy/policy';
import { Port } from '../policy/port';
import { EgressRule, IngressRule } from '../policy/rule';
import { EndpointSelector } from '../policy/selector';
import { AppRegistry } from './app-registry';
import {
  dnsEgressRule,
  DnsRuleOptions,
  hostAndHealthRule,
  PodsSelection,
  requireNonEmptySelector,
  requireProps,
  resolveNamespace,
  validatePorts,
} from './common';
import { ConnectionEnd } from './connection-end';
import { IngressController } from './ingress-controller';
import { routeFromController } from './routes';
import { declareConnection } from './verify-connections';

/** One tier of a `TieredApp`. */
export interface TierProps {
  /** Short name used in policy names and descriptions (`postgres`). */
  readonly name: string;
  /** The tier's pods. */
  readonly pods: PodsSelection;
  /** The container ports the tier listens on. */
  readonly ports: Port[];
  /** Allow `host` (probes) and `health`. Always on when the workload has probes. @default true */
  readonly allowHost?: boolean;
  /** metadata.name of the tier's policy. @default - generated */
  readonly policyName?: string;
  /** More ingress rules for the tier (e.g. Prometheus scraping). @default - none */
  readonly additionalIngress?: IngressRule[];
}

/** Props of `TieredApp`. */
export interface TieredAppProps {
  /** Namespace of all tiers. @default - the front workload's namespace */
  readonly namespace?: string;
  /** The tier clients reach (the web app). */
  readonly front: TierProps;
  /** Tiers only the front reaches (a database, a cache). */
  readonly backends: TierProps[];
  /** The ingress controller allowed into the front tier. @default - none: give `frontClients` (an internal front tier) */
  readonly ingressController?: IngressController;
  /** Pods allowed into the front tier besides the ingress controller (other apps of the cluster). @default - none */
  readonly frontClients?: PodsSelection[];
  /**
   * Make the front tier egress default-deny: it may then reach only its backends, the cluster DNS
   * and `additionalFrontEgress`.
   * @default false
   */
  readonly lockDownFrontEgress?: boolean;
  /**
   * The front's egress is default-denied by a policy outside this app: write its egress to the
   * backends. Not needed when the app's own `ClusterDefaultDeny({ egress: true })` covers the front,
   * which is detected at synth.
   * @default false
   */
  readonly frontEgressDefaultDenied?: boolean;
  /** DNS settings for `lockDownFrontEgress`. @default - kube-dns on 53, all queries */
  readonly dns?: DnsRuleOptions;
  /** More egress for the front tier under `lockDownFrontEgress` (an external API, the API server). @default - none */
  readonly additionalFrontEgress?: EgressRule[];
}

/**
 * A front tier reachable from the ingress controller (and/or `frontClients`) and backends
 * reachable only from the front. Both sides of front -> backend are written whenever the front's
 * egress is default-denied (by `lockDownFrontEgress`, the app's ClusterDefaultDeny, or a policy
 * elsewhere, see `frontEgressDefaultDenied`); every connection is declared and verified at synth.
 * Peers carry their namespace, so the rules keep their meaning if promoted to a clusterwide policy.
 */
export class TieredApp extends Construct {
  /** The front tier's policy. */
  readonly frontPolicy: CiliumPolicy;
  /** Each backend tier's policy, by tier name. */
  readonly backendPolicies: Record<string, CiliumPolicy>;

  constructor(scope: Construct, id: string, props: TieredAppProps) {
    super(scope, id);
    const plan = atConstruct(this, () => planOf(props));
    const registry = AppRegistry.of(this);
    this.frontPolicy = this.createFrontPolicy(props, plan);
    if (!props.lockDownFrontEgress) {
      // Only when the front is egress default-denied anyway, so these rules never narrow its egress.
      this.frontPolicy._addEgressAtSynth(() =>
        props.frontEgressDefaultDenied || registry.egressDefaultDenied(plan.namespace)
          ? toBackends(plan)
          : [],
      );
    }
    this.backendPolicies = this.createBackendPolicies(props, plan);
    this.declareConnections(props, plan);
  }

  private createFrontPolicy(props: TieredAppProps, plan: TieredPlan): CiliumPolicy {
    const controller = props.ingressController;
    const from = [
      ...(controller ? [controller.name] : []),
      ...(plan.clients.length ? ['its clients'] : []),
    ].join(' and ');
    return new CiliumPolicy(this, props.front.name, {
      namespace: plan.namespace,
      name: props.front.policyName,
      description:
        `${props.front.name}: ingress only from ${from}` +
        (props.lockDownFrontEgress
          ? `; egress only to ${plan.backends.map((b) => b.props.name).join(', ')} and DNS`
          : ''),
      endpointSelector: plan.front,
      ingress: [
        ...(controller ? [new IngressRule({ from: controller.peer, ports: props.front.ports })] : []),
        ...(plan.clients.length
          ? [new IngressRule({ from: Peer.endpoints(...plan.clients), ports: props.front.ports })]
          : []),
        ...(plan.frontHost ? [plan.frontHost] : []),
        ...(props.front.additionalIngress ?? []),
      ],
      egress: props.lockDownFrontEgress
        ? [...toBackends(plan), dnsEgressRule(props.dns), ...(props.additionalFrontEgress ?? [])]
        : undefined,
    });
  }

  private createBackendPolicies(props: TieredAppProps, plan: TieredPlan): Record<string, CiliumPolicy> {
    const policies: Record<string, CiliumPolicy> = {};
    for (const b of plan.backends) {
      policies[b.props.name] = new CiliumPolicy(this, b.props.name, {
        namespace: plan.namespace,
        name: b.props.policyName,
        description: `${b.props.name}: ingress only from ${props.front.name}`,
        endpointSelector: b.selector,
        ingress: [
          new IngressRule({ from: Peer.endpoints(plan.front), ports: b.props.ports }),
          ...(b.host ? [b.host] : []),
          ...(b.props.additionalIngress ?? []),
        ],
      });
    }
    return policies;
  }

  private declareConnections(props: TieredAppProps, plan: TieredPlan): void {
    const controller = props.ingressController;
    const frontEnd = ConnectionEnd.pods(props.front.pods, plan.namespace);
    if (controller) routeFromController(this, controller, plan.front, props.front.ports, frontEnd);
    plan.clients.forEach((c) =>
      declareConnection(this, { from: ConnectionEnd.pods(c), to: frontEnd, ports: props.front.ports }),
    );
    for (const b of plan.backends) {
      declareConnection(this, {
        from: frontEnd,
        to: ConnectionEnd.pods(b.props.pods, plan.namespace),
        ports: b.props.ports,
        fix: {
          egress: () =>
            'the front is egress default-denied by a policy outside this app: set `frontEgressDefaultDenied: true` ' +
            '(or `lockDownFrontEgress: true`) on this TieredApp',
        },
      });
    }
  }
}

/** A backend tier, validated. */
interface BackendTier {
  readonly props: TierProps;
  readonly selector: EndpointSelector;
  readonly host?: IngressRule;
}

/** The validated props and what follows from them. */
interface TieredPlan {
  readonly namespace: string;
  readonly front: EndpointSelector;
  readonly frontHost?: IngressRule;
  readonly backends: BackendTier[];
  readonly clients: EndpointSelector[];
}

function planOf(props: TieredAppProps): TieredPlan {
  requireProps(props, ['front', 'backends']);
  refuseRestrictFrontEgress(props);
  requireProps(props.front, ['name', 'pods', 'ports']);
  if (!props.backends.length)
    invalidProp('backends', [], 'no backend tier given', 'add a backend, or use IngressOnlyApp');
  const front = EndpointSelector.of(props.front.pods);
  requireNonEmptySelector('front.pods', front);
  const namespace = resolveNamespace('namespace', props.namespace, front);
  const backends = backendTiers(props, namespace);
  validatePorts('front.ports', props.front.ports);
  props.ingressController?._validate('ingressController');
  const clients = frontClients(props, namespace);
  requireFrontReachable(props, clients);
  refuseUnusedFrontEgressOptions(props);
  return {
    namespace,
    front: front.withDefaultNamespace(namespace),
    frontHost: hostAndHealthRule('front.allowHost', props.front.allowHost, props.front.pods),
    backends,
    clients,
  };
}

function refuseRestrictFrontEgress(props: TieredAppProps): void {
  const restrictFrontEgress = (props as { restrictFrontEgress?: boolean }).restrictFrontEgress;
  if (restrictFrontEgress !== undefined) {
    invalidProp(
      'restrictFrontEgress',
      restrictFrontEgress,
      'renamed: the front egress to the backends is now written whenever the front is egress default-denied',
      'use `lockDownFrontEgress: true` to make the front egress default-deny, or drop it',
    );
  }
}

function backendTiers(props: TieredAppProps, namespace: string): BackendTier[] {
  const names = new Set<string>([props.front.name]);
  return props.backends.map((b, i) => {
    requireProps(b, ['name', 'pods', 'ports']);
    const selector = EndpointSelector.of(b.pods);
    requireNonEmptySelector(`backends[${i}].pods`, selector);
    resolveNamespace(`backends[${i}].pods`, namespace, selector);
    if (names.has(b.name))
      invalidProp(`backends[${i}].name`, b.name, 'tier names must be unique', 'rename the tier');
    names.add(b.name);
    validatePorts(`backends[${i}].ports`, b.ports);
    return {
      props: b,
      selector: selector.withDefaultNamespace(namespace),
      host: hostAndHealthRule(`backends[${i}].allowHost`, b.allowHost, b.pods),
    };
  });
}

function frontClients(props: TieredAppProps, namespace: string): EndpointSelector[] {
  return (props.frontClients ?? []).map((c, i) => {
    const s = EndpointSelector.of(c);
    if (!s.constrainsNamespace) {
      invalidProp(
        `frontClients[${i}]`,
        'a selector without a namespace',
        "a client selector without a namespace would only mean the front's own namespace",
        `give it a namespace, e.g. EndpointSelector.labels({...}, { namespace: "${namespace}" })`,
      );
    }
    return s;
  });
}

function requireFrontReachable(props: TieredAppProps, clients: EndpointSelector[]): void {
  if (!props.ingressController && clients.length === 0) {
    invalidProp(
      'ingressController',
      undefined,
      'nothing could reach the front tier',
      'give `ingressController`, or `frontClients` for an internal front tier',
    );
  }
}

function refuseUnusedFrontEgressOptions(props: TieredAppProps): void {
  if (!props.lockDownFrontEgress && (props.dns || props.additionalFrontEgress?.length)) {
    invalidProp(
      props.dns ? 'dns' : 'additionalFrontEgress',
      props.dns ? 'set' : props.additionalFrontEgress!.length,
      'only used when the front egress is locked down',
      'set `lockDownFrontEgress: true`, or drop it',
    );
  }
}

function toBackends(plan: TieredPlan): EgressRule[] {
  return plan.backends.map((b) => new EgressRule({ to: Peer.endpoints(b.selector), ports: b.props.ports }));
}
