import { Construct } from 'constructs';
import { Entity } from '../policy/entity';
import { atConstruct, invalidProp } from '../policy/errors';
import { Fqdn } from '../policy/fqdn';
import { validateNamespaceName, validateLabelValue } from '../policy/labels';
import { endpointSelectorsOf, Peer } from '../policy/peer';
import { CiliumPolicy } from '../policy/policy';
import { Port } from '../policy/port';
import { EgressRule, IngressRule } from '../policy/rule';
import { EndpointSelector } from '../policy/selector';
import { dnsEgressRule, DnsRuleOptions, PodsSelection, validatePorts } from './common';
import { ConnectionEnd } from './connection-end';
import { IngressController } from './ingress-controller';
import { routeFromController } from './routes';
import { declareConnection } from './verify-connections';

/** The components of Argo CD, as its upstream Helm chart (argo-cd) names them. */
export enum ArgoCdComponent {
  SERVER = 'server',
  REPO_SERVER = 'repo-server',
  APPLICATION_CONTROLLER = 'application-controller',
  APPLICATIONSET_CONTROLLER = 'applicationset-controller',
  REDIS = 'redis',
  DEX_SERVER = 'dex-server',
  NOTIFICATIONS_CONTROLLER = 'notifications-controller',
}

interface ComponentFacts {
  /** Container ports other components call. */
  readonly serves: Port[];
  /** The metrics port Prometheus scrapes. */
  readonly metrics?: Port;
  /** Components it calls (on their `serves` ports). */
  readonly calls: ArgoCdComponent[];
  readonly kubeApiserver: boolean;
  /** Reaches the git hosts (`gitHosts`). */
  readonly git: boolean;
}

/** The chart's default container ports and the components' connections (its own NetworkPolicies agree). */
/** The `additionalEgress` field of each component. */
const EGRESS_PROP: Readonly<Record<ArgoCdComponent, keyof ArgoCdEgressProps>> = {
  [ArgoCdComponent.SERVER]: 'server',
  [ArgoCdComponent.REPO_SERVER]: 'repoServer',
  [ArgoCdComponent.APPLICATION_CONTROLLER]: 'applicationController',
  [ArgoCdComponent.APPLICATIONSET_CONTROLLER]: 'applicationsetController',
  [ArgoCdComponent.REDIS]: 'redis',
  [ArgoCdComponent.DEX_SERVER]: 'dexServer',
  [ArgoCdComponent.NOTIFICATIONS_CONTROLLER]: 'notificationsController',
};

const COMPONENTS: Readonly<Record<ArgoCdComponent, ComponentFacts>> = {
  [ArgoCdComponent.SERVER]: {
    serves: [Port.tcp(8080)],
    metrics: Port.tcp(8083),
    calls: [ArgoCdComponent.REPO_SERVER, ArgoCdComponent.REDIS, ArgoCdComponent.DEX_SERVER],
    kubeApiserver: true,
    git: false,
  },
  [ArgoCdComponent.REPO_SERVER]: {
    serves: [Port.tcp(8081)],
    metrics: Port.tcp(8084),
    calls: [ArgoCdComponent.REDIS],
    kubeApiserver: true,
    git: true,
  },
  [ArgoCdComponent.APPLICATION_CONTROLLER]: {
    serves: [],
    metrics: Port.tcp(8082),
    calls: [ArgoCdComponent.REPO_SERVER, ArgoCdComponent.REDIS],
    kubeApiserver: true,
    git: false,
  },
  [ArgoCdComponent.APPLICATIONSET_CONTROLLER]: {
    serves: [],
    metrics: Port.tcp(8080),
    calls: [ArgoCdComponent.REPO_SERVER],
    kubeApiserver: true,
    git: true,
  },
  [ArgoCdComponent.REDIS]: { serves: [Port.tcp(6379)], calls: [], kubeApiserver: false, git: false },
  [ArgoCdComponent.DEX_SERVER]: {
    serves: [Port.tcp(5556), Port.tcp(5557)],
    metrics: Port.tcp(5558),
    calls: [],
    kubeApiserver: true,
    git: true,
  },
  [ArgoCdComponent.NOTIFICATIONS_CONTROLLER]: {
    serves: [],
    metrics: Port.tcp(9001),
    calls: [ArgoCdComponent.REPO_SERVER],
    kubeApiserver: true,
    git: false,
  },
};

/** More egress rules for each Argo CD component. */
export interface ArgoCdEgressProps {
  /** More egress of server. @default - none */
  readonly server?: EgressRule[];
  /** More egress of repo-server. @default - none */
  readonly repoServer?: EgressRule[];
  /** More egress of application-controller. @default - none */
  readonly applicationController?: EgressRule[];
  /** More egress of applicationset-controller. @default - none */
  readonly applicationsetController?: EgressRule[];
  /** More egress of redis. @default - none */
  readonly redis?: EgressRule[];
  /** More egress of dex-server. @default - none */
  readonly dexServer?: EgressRule[];
  /** More egress of notifications-controller. @default - none */
  readonly notificationsController?: EgressRule[];
}

/** Props of `ArgoCd`. */
export interface ArgoCdProps {
  /** Namespace Argo CD runs in. @default 'argocd' */
  readonly namespace?: string;
  /** The chart's `nameOverride` (pods are labelled `app.kubernetes.io/name: <prefix>-<component>`). @default 'argocd' */
  readonly namePrefix?: string;
  /** Components not installed (e.g. `ArgoCdComponent.DEX_SERVER` when Dex is disabled). @default - none */
  readonly disabled?: ArgoCdComponent[];
  /** The ingress controller that serves the UI, the API and the git webhooks (to argocd-server 8080). @default - none */
  readonly ingressController?: IngressController;
  /**
   * The git hosts repo-server clones from, applicationset-controller's SCM generators call and
   * Dex's GitHub connector uses.
   * @default github.com and githubusercontent.com, with their subdomains
   */
  readonly gitHosts?: Fqdn[];
  /** Ports on the git hosts. @default [Port.tcp(443)] (add Port.tcp(22) for SSH remotes) */
  readonly gitPorts?: Port[];
  /** Prometheus (or another scraper) reaches every component's metrics port. @default - no scraping */
  readonly metricsFrom?: PodsSelection;
  /** DNS settings. @default - kube-dns on 53, all queries */
  readonly dns?: DnsRuleOptions;
  /** More egress per component (an external cluster's API server for the application-controller, Slack for notifications). @default - none */
  readonly additionalEgress?: ArgoCdEgressProps;
}

/**
 * Argo CD, locked down in both directions: one policy per component with exactly the connections
 * the components make to each other on the upstream chart's container ports, the API server,
 * DNS, the git hosts, kubelet probes, the UI through the ingress controller and, optionally,
 * Prometheus. Every connection is declared and verified at synth.
 */
export class ArgoCd extends Construct {
  private readonly policies = new Map<ArgoCdComponent, CiliumPolicy>();

  constructor(scope: Construct, id: string, props: ArgoCdProps = {}) {
    super(scope, id);
    const settings = settingsOf(props);
    atConstruct(this, () => validateSettings(settings));
    const plan = planOf(settings);
    for (const c of plan.active) {
      this.policies.set(c, this.componentPolicy(plan, c));
      this.declareComponentConnections(plan, c);
    }
    if (props.ingressController && !plan.disabled.has(ArgoCdComponent.SERVER)) {
      routeFromController(
        this,
        props.ingressController,
        podsOf(plan, ArgoCdComponent.SERVER),
        COMPONENTS[ArgoCdComponent.SERVER].serves,
      );
    }
  }

  private componentPolicy(plan: ArgoCdPlan, c: ArgoCdComponent): CiliumPolicy {
    const callers = callersOf(plan, c);
    const callees = calleesOf(plan, c);
    const ingress = componentIngress(plan, c, callers);
    const egress = componentEgress(plan, c, callees);
    return new CiliumPolicy(this, c, {
      namespace: plan.namespace,
      name: `${plan.prefix}-${c}`,
      description: componentDescription(plan, c, callers, callees),
      endpointSelector: EndpointSelector.labels({ 'app.kubernetes.io/name': `${plan.prefix}-${c}` }),
      ingress,
      egress,
    });
  }

  private declareComponentConnections(plan: ArgoCdPlan, c: ArgoCdComponent): void {
    const facts = COMPONENTS[c];
    const { props, gitHosts, gitPorts, dnsPods, metricsFrom } = plan;
    const from = ConnectionEnd.pods(podsOf(plan, c));
    for (const t of calleesOf(plan, c))
      declareConnection(this, { from, to: ConnectionEnd.pods(podsOf(plan, t)), ports: COMPONENTS[t].serves });
    if (facts.kubeApiserver)
      declareConnection(this, {
        from,
        to: ConnectionEnd.entity(Entity.KUBE_APISERVER),
        ports: [Port.tcp(6443)],
      });
    if (facts.git)
      for (const f of gitHosts) declareConnection(this, { from, to: ConnectionEnd.fqdn(f), ports: gitPorts });
    if (dnsPods)
      declareConnection(this, {
        from,
        to: ConnectionEnd.pods(dnsPods, 'kube-system'),
        ports: [props.dns?.dnsPort ?? Port.any(53)],
      });
    if (metricsFrom && facts.metrics)
      declareConnection(this, { from: ConnectionEnd.pods(metricsFrom), to: from, ports: [facts.metrics] });
  }

  /** The policy of one component (undefined when it is disabled). */
  policyOf(component: ArgoCdComponent): CiliumPolicy | undefined {
    return this.policies.get(component);
  }
}

/** The props with their defaults applied. */
interface ArgoCdSettings {
  readonly props: ArgoCdProps;
  readonly namespace: string;
  readonly prefix: string;
  readonly disabled: Set<ArgoCdComponent>;
  readonly gitHosts: Fqdn[];
  readonly gitPorts: Port[];
}

/** The validated settings and what follows from them. */
interface ArgoCdPlan extends ArgoCdSettings {
  /** The installed components, in `COMPONENTS` order. */
  readonly active: ArgoCdComponent[];
  readonly dnsPods?: EndpointSelector;
  readonly metricsFrom?: EndpointSelector;
}

function settingsOf(props: ArgoCdProps): ArgoCdSettings {
  return {
    props,
    namespace: props.namespace ?? 'argocd',
    prefix: props.namePrefix ?? 'argocd',
    disabled: new Set(props.disabled ?? []),
    gitHosts: props.gitHosts ?? [
      Fqdn.domainAndSubdomains('github.com'),
      Fqdn.domainAndSubdomains('githubusercontent.com'),
    ],
    gitPorts: props.gitPorts ?? [Port.tcp(443)],
  };
}

function validateSettings({ props, namespace, prefix, disabled, gitHosts, gitPorts }: ArgoCdSettings): void {
  validateNamespaceName('namespace', namespace);
  validateLabelValue('namePrefix', `${prefix}-application-controller`);
  [...disabled].forEach((c, i) => {
    if (!(c in COMPONENTS))
      invalidProp(
        `disabled[${i}]`,
        c,
        'not an Argo CD component',
        `use one of ${Object.values(ArgoCdComponent)
          .map((v) => `ArgoCdComponent.${v.toUpperCase().replace(/-/g, '_')}`)
          .join(', ')}`,
      );
  });
  gitHosts.forEach((f, i) => f._render(`gitHosts[${i}]`));
  validatePorts('gitPorts', gitPorts);
  props.ingressController?._validate('ingressController');
  if (props.ingressController && disabled.has(ArgoCdComponent.SERVER)) {
    invalidProp(
      'ingressController',
      props.ingressController.name,
      'the UI is argocd-server, which is disabled',
      'drop `ingressController` or enable the server',
    );
  }
}

function planOf(settings: ArgoCdSettings): ArgoCdPlan {
  const { props, disabled } = settings;
  return {
    ...settings,
    active: (Object.keys(COMPONENTS) as ArgoCdComponent[]).filter((c) => !disabled.has(c)),
    dnsPods: endpointSelectorsOf(props.dns?.dnsServer ?? Peer.kubeDns())[0],
    metricsFrom: props.metricsFrom ? EndpointSelector.of(props.metricsFrom) : undefined,
  };
}

function podsOf(plan: ArgoCdPlan, c: ArgoCdComponent): EndpointSelector {
  return EndpointSelector.labels(
    { 'app.kubernetes.io/name': `${plan.prefix}-${c}` },
    { namespace: plan.namespace },
  );
}

/** The installed components that call `c`. */
function callersOf(plan: ArgoCdPlan, c: ArgoCdComponent): ArgoCdComponent[] {
  return plan.active.filter((from) => COMPONENTS[from].calls.includes(c));
}

/** The installed components `c` calls. */
function calleesOf(plan: ArgoCdPlan, c: ArgoCdComponent): ArgoCdComponent[] {
  return COMPONENTS[c].calls.filter((t) => !plan.disabled.has(t));
}

function componentIngress(plan: ArgoCdPlan, c: ArgoCdComponent, callers: ArgoCdComponent[]): IngressRule[] {
  const facts = COMPONENTS[c];
  const { props, metricsFrom } = plan;
  return [
    ...(callers.length && facts.serves.length
      ? [
          new IngressRule({
            from: Peer.endpoints(...callers.map((t) => podsOf(plan, t))),
            ports: facts.serves,
          }),
        ]
      : []),
    ...(c === ArgoCdComponent.SERVER && props.ingressController
      ? [new IngressRule({ from: props.ingressController.peer, ports: facts.serves })]
      : []),
    new IngressRule({ from: Peer.entities(Entity.HOST, Entity.HEALTH) }),
    ...(metricsFrom && facts.metrics
      ? [new IngressRule({ from: Peer.endpoints(metricsFrom), ports: [facts.metrics] })]
      : []),
  ];
}

function componentEgress(plan: ArgoCdPlan, c: ArgoCdComponent, callees: ArgoCdComponent[]): EgressRule[] {
  const facts = COMPONENTS[c];
  const { props, gitHosts, gitPorts } = plan;
  return [
    dnsEgressRule({
      ...props.dns,
      dnsQueries: facts.git ? props.dns?.dnsQueries?.withNames(gitHosts) : props.dns?.dnsQueries,
    }),
    ...callees.map(
      (t) => new EgressRule({ to: Peer.endpoints(podsOf(plan, t)), ports: COMPONENTS[t].serves }),
    ),
    ...(facts.kubeApiserver ? [new EgressRule({ to: Peer.entities(Entity.KUBE_APISERVER) })] : []),
    ...(facts.git ? [new EgressRule({ to: Peer.fqdns(...gitHosts), ports: gitPorts })] : []),
    ...(props.additionalEgress?.[EGRESS_PROP[c]] ?? []),
  ];
}

function componentDescription(
  plan: ArgoCdPlan,
  c: ArgoCdComponent,
  callers: ArgoCdComponent[],
  callees: ArgoCdComponent[],
): string {
  const { ingressController } = plan.props;
  return (
    `Argo CD ${c}: ${callers.length ? `called by ${callers.join(', ')}` : 'called by no other component'}` +
    `${callees.length ? `; calls ${callees.join(', ')}` : ''}${COMPONENTS[c].git ? '; reaches the git hosts' : ''}` +
    `${c === ArgoCdComponent.SERVER && ingressController ? `; the UI and API through ${ingressController.name}` : ''}`
  );
}
