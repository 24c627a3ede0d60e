import { Construct } from 'constructs';
import { parsePrefix } from '../cilium/cidr';
import { Entity } from '../policy/entity';
import { atConstruct, invalidProp } from '../policy/errors';
import { entitiesOf, IPeer, Peer } from '../policy/peer';
import { CiliumPolicy } from '../policy/policy';
import { Port } from '../policy/port';
import { EgressRule, IngressRule } from '../policy/rule';
import { EndpointSelector } from '../policy/selector';
import { AppRegistry } from './app-registry';
import { dnsEgressRule, DnsRuleOptions, PodsSelection, requireProps, validatePorts } from './common';
import { ConnectionEnd } from './connection-end';
import { IngressController } from './ingress-controller';
import { declareConnection } from './verify-connections';

/** Who reaches an ingress controller's entrypoints. */
export class IngressClients {
  /** Anyone outside the cluster (the `world` entity). */
  static world(): IngressClients {
    return new IngressClients(Peer.entities(Entity.WORLD), [ConnectionEnd.entity(Entity.WORLD)]);
  }

  /** Only these address ranges outside the cluster (a firewall, a CDN, a home network). */
  static cidrs(...cidrs: string[]): IngressClients {
    return new IngressClients(
      Peer.cidr(cidrs[0]),
      cidrs.map((c) => ConnectionEnd.cidr(c)),
      cidrs,
    );
  }

  /**
   * Entities: `Entity.REMOTE_NODE` for NodePort / LoadBalancer traffic another node forwarded
   * (with SNAT), `Entity.INGRESS` when Cilium's own Envoy forwards to the controller.
   */
  static entities(...entities: Entity[]): IngressClients {
    return new IngressClients(
      Peer.entities(...entities),
      entities.map((e) => ConnectionEnd.entity(e)),
    );
  }

  private constructor(
    /** The clients as a policy peer. */
    readonly peer: IPeer,
    /** The clients as connection ends, for the declared connections. */
    readonly ends: ConnectionEnd[],
    private readonly cidrList?: string[],
  ) {}

  /** @internal One peer per rule (Cilium allows one peer kind per rule element). */
  _peers(field: string): IPeer[] {
    if (this.cidrList) {
      if (this.cidrList.length === 0)
        invalidProp(
          field,
          [],
          'no CIDR given',
          'list the client ranges, e.g. IngressClients.cidrs("203.0.113.0/24")',
        );
      return this.cidrList.map((c, i) => {
        if (!parsePrefix(c))
          invalidProp(`${field}[${i}]`, c, 'not a CIDR in prefix notation', 'write e.g. `203.0.113.0/24`');
        return Peer.cidr(c);
      });
    }
    return [this.peer];
  }
}

/** Props of `IngressControllerPolicy`. */
export interface IngressControllerPolicyProps {
  /** The controller: `IngressController.traefik()`, `.ingressNginx()`, `.fromSelector(...)`. */
  readonly controller: IngressController;
  /**
   * Who reaches the entrypoints. NodePort or LoadBalancer traffic arrives as `world`, or as
   * `remote-node` when another node forwarded it.
   * @default [IngressClients.world(), IngressClients.entities(Entity.REMOTE_NODE)]
   */
  readonly clients?: IngressClients[];
  /** The controller's container ports for clients. @default the preset's entrypoints */
  readonly entrypoints?: Port[];
  /** Let the controller reach the API server (it watches Ingress, Service and EndpointSlice objects). @default true */
  readonly allowKubeApiserver?: boolean;
  /** Prometheus (or another scraper) reaches the controller's metrics ports. @default - no scraping */
  readonly metricsFrom?: PodsSelection;
  /** DNS settings of the egress rule. @default - kube-dns on 53, all queries */
  readonly dns?: DnsRuleOptions;
  /** More ingress rules. @default - none */
  readonly additionalIngress?: IngressRule[];
  /** More egress rules (a backend outside this app, an ACME server). @default - none */
  readonly additionalEgress?: EgressRule[];
  /** metadata.name. @default - generated */
  readonly policyName?: string;
}

/**
 * The ingress controller's own policy: clients in on its entrypoints, kubelet probes, and egress to
 * every backend that a pattern of this app (IngressOnlyApp, TieredApp, ArgoCd ...) routes to it,
 * on the backends' container ports, collected when the app is synthesized; plus the API server
 * and DNS. Egress is default-deny for the controller from then on.
 */
export class IngressControllerPolicy extends Construct {
  /** The policy it synthesizes. */
  readonly policy: CiliumPolicy;

  constructor(scope: Construct, id: string, props: IngressControllerPolicyProps) {
    super(scope, id);
    const registry = AppRegistry.of(this);
    const plan = atConstruct(this, () => planControllerPolicy(this, registry, props));
    const controller = props.controller;
    const ingress = controllerIngress(props, plan);
    const egress = controllerEgress(props);
    const fromWorld = plan.clientPeers.some((p) => entitiesOf(p).some((e) => e.name === Entity.WORLD.name));
    this.policy = new CiliumPolicy(this, 'Policy', {
      namespace: plan.namespace,
      name: props.policyName,
      // World on the entrypoint ports is what an ingress controller is for.
      metadata: fromWorld
        ? { annotations: { 'lint.cilium-lockdown.io/ignore': 'ingress-from-world' } }
        : undefined,
      description: `${controller.name}: clients in on its entrypoints; egress to the backends the app routes to it, the API server and DNS`,
      endpointSelector: EndpointSelector.labels(
        { ...plan.pods.matchLabels },
        { expressions: plan.pods.matchExpressions },
      ),
      ingress,
      egress,
    });
    this.policy._addEgressAtSynth(() => backendRules(registry, controller._key));
    for (const client of plan.clients.flatMap((c) => c.ends)) {
      declareConnection(this, { from: client, to: ConnectionEnd.pods(plan.pods), ports: plan.entrypoints });
    }
  }
}

/** The validated props: the controller's pods, entrypoints and clients. */
interface ControllerPlan {
  readonly pods: EndpointSelector;
  readonly namespace: string;
  readonly entrypoints: Port[];
  readonly clients: IngressClients[];
  readonly clientPeers: IPeer[];
}

function planControllerPolicy(
  policy: IngressControllerPolicy,
  registry: AppRegistry,
  props: IngressControllerPolicyProps,
): ControllerPlan {
  requireProps(props, ['controller']);
  props.controller._validate('controller');
  const pods = controllerPods(props.controller);
  const entrypoints = validEntrypoints(props);
  const clients = props.clients ?? [IngressClients.world(), IngressClients.entities(Entity.REMOTE_NODE)];
  if (clients.length === 0)
    invalidProp(
      'clients',
      [],
      'no clients: nothing could reach the controller',
      'keep the default or list clients',
    );
  const clientPeers = clientRulePeers(clients);
  claimController(policy, registry, props.controller);
  return { pods, namespace: pods.namespace!, entrypoints, clients, clientPeers };
}

function controllerPods(controller: IngressController): EndpointSelector {
  const pods = controller.pods;
  if (!pods) {
    invalidProp(
      'controller',
      controller.name,
      "Cilium's own ingress is not a pod; Cilium manages its Envoy itself",
      'drop this construct (use it for Traefik, ingress-nginx or another controller running as pods)',
    );
  }
  return pods;
}

function validEntrypoints(props: IngressControllerPolicyProps): Port[] {
  const entrypoints = props.entrypoints ?? props.controller.entrypoints;
  if (!props.entrypoints && entrypoints.length === 0) {
    invalidProp(
      'entrypoints',
      undefined,
      `the ${props.controller.name} controller names no entrypoint ports`,
      "give `entrypoints` (the controller's container ports), e.g. [Port.tcp(8080), Port.tcp(8443)]",
    );
  }
  validatePorts(props.entrypoints ? 'entrypoints' : 'controller.entrypoints', entrypoints);
  return entrypoints;
}

/** Entities go in one rule; each CIDR in its own. */
function clientRulePeers(clients: IngressClients[]): IPeer[] {
  const peers = clients.flatMap((c, i) => c._peers(`clients[${i}]`));
  const entities = peers.flatMap(entitiesOf);
  return [
    ...(entities.length ? [Peer.entities(...entities)] : []),
    ...peers.filter((p) => entitiesOf(p).length === 0),
  ];
}

function claimController(
  policy: IngressControllerPolicy,
  registry: AppRegistry,
  controller: IngressController,
): void {
  const existing = registry.registerControllerPolicy(controller._key, policy);
  if (existing) {
    invalidProp(
      'controller',
      controller.name,
      `${existing.node.path} already writes this controller's policy`,
      'keep one IngressControllerPolicy per controller',
    );
  }
}

/** Clients on the entrypoints, kubelet probes, webhooks, metrics scrapes and the extra rules. */
function controllerIngress(props: IngressControllerPolicyProps, plan: ControllerPlan): IngressRule[] {
  const controller = props.controller;
  return [
    ...plan.clientPeers.map((peer) => new IngressRule({ from: peer, ports: plan.entrypoints })),
    new IngressRule({ from: Peer.entities(Entity.HOST, Entity.HEALTH) }),
    ...(controller.webhookPorts.length
      ? [
          new IngressRule({
            from: Peer.entities(Entity.KUBE_APISERVER, Entity.REMOTE_NODE, Entity.HOST),
            ports: controller.webhookPorts,
          }),
        ]
      : []),
    ...(props.metricsFrom && controller.metricsPorts.length
      ? [new IngressRule({ from: Peer.endpoints(props.metricsFrom), ports: controller.metricsPorts })]
      : []),
    ...(props.additionalIngress ?? []),
  ];
}

/** DNS, the API server and the extra rules; the backends are added at synth. */
function controllerEgress(props: IngressControllerPolicyProps): EgressRule[] {
  return [
    dnsEgressRule(props.dns),
    ...(props.allowKubeApiserver === false
      ? []
      : [new EgressRule({ to: Peer.entities(Entity.KUBE_APISERVER) })]),
    ...(props.additionalEgress ?? []),
  ];
}

/** One egress rule per backend, ports merged, in a canonical order. */
function backendRules(registry: AppRegistry, key: string): EgressRule[] {
  const byPods = new Map<string, { pods: EndpointSelector; ports: Map<string, Port> }>();
  for (const b of registry.backendsOf(key)) {
    const id = JSON.stringify(b.pods._render('backend'));
    let entry = byPods.get(id);
    if (!entry) byPods.set(id, (entry = { pods: b.pods, ports: new Map() }));
    for (const p of b.ports) entry.ports.set(JSON.stringify(p._render('port')), p);
  }
  return [...byPods.keys()].sort().map((id) => {
    const { pods, ports } = byPods.get(id)!;
    return new EgressRule({
      to: Peer.endpoints(pods),
      ports: [...ports.keys()].sort().map((k) => ports.get(k)!),
    });
  });
}
