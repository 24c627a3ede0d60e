import { Construct } from 'constructs';
import { Entity } from '../policy/entity';
import { atConstruct, invalidProp } from '../policy/errors';
import { Fqdn } from '../policy/fqdn';
import { endpointSelectorsOf, Peer } from '../policy/peer';
import { CiliumPolicy, RuleProps } from '../policy/policy';
import { L4Protocol, Port } from '../policy/port';
import { EgressRule, IngressRule } from '../policy/rule';
import { EndpointSelector } from '../policy/selector';
import {
  dnsEgressRule,
  DnsRuleOptions,
  PodsSelection,
  requireNonEmptySelector,
  requireProps,
  resolveNamespace,
  validatePorts,
} from './common';
import { ConnectionEnd } from './connection-end';
import { declareConnection } from './verify-connections';

/** Props of `FqdnEgress`. */
export interface FqdnEgressProps {
  /** The pods whose egress is locked down. */
  readonly pods: PodsSelection;
  /**
   * The DNS names they may reach. `Fqdn.domainAndSubdomains('github.com')` covers the apex and
   * every subdomain; `Fqdn.pattern('*.github.com')` alone never matches `github.com`.
   */
  readonly fqdns: Fqdn[];
  /** Ports on those names (an empty list is refused: it would mean every port). @default [Port.tcp(443)] */
  readonly ports?: Port[];
  /** Namespace of the pods. @default - the workload's namespace */
  readonly namespace?: string;
  /**
   * Also allow the Kubernetes API server (the `kube-apiserver` entity; its real port after
   * service translation, often 6443, so no port restriction by default).
   * @default false
   */
  readonly allowKubeApiserver?: boolean | Port[];
  /**
   * The pods of the namespace reach each other, both ways: egress to every pod of the namespace,
   * and ingress from them in a second rule of the same object that adds an allow without making
   * the pods ingress default-deny (what an app installed by one Helm chart, such as ArgoCD, needs
   * under a cluster default deny).
   * @default false
   */
  readonly allowSameNamespace?: boolean;
  /** More egress rules for the same pods. @default - none */
  readonly additionalEgress?: EgressRule[];
  /** The cluster DNS and the queries its proxy lets through (the names in `fqdns` always pass). @default - kube-dns on 53, all queries */
  readonly dns?: DnsRuleOptions;
  /** metadata.name of the policy. @default - generated */
  readonly policyName?: string;
  /** @default - a sentence listing the names */
  readonly description?: string;
}

/**
 * Egress to named hosts, done right: the `toFQDNs` rule plus, in the same policy, the DNS rule
 * to kube-dns with `rules: dns`, without which Cilium never learns the names' IPs. Every
 * connection it allows is declared and verified at synth.
 */
export class FqdnEgress extends Construct {
  /** The policy it synthesizes. */
  readonly policy: CiliumPolicy;

  constructor(scope: Construct, id: string, props: FqdnEgressProps) {
    super(scope, id);
    const plan = atConstruct(this, () => planFqdnEgress(props));
    const egress = fqdnEgressRules(props, plan);
    const additionalRules = sameNamespaceIngress(props, plan);
    this.policy = new CiliumPolicy(this, 'Policy', {
      namespace: plan.namespace,
      name: props.policyName,
      description:
        props.description ??
        `Egress to ${[...new Set(plan.fqdns.flatMap((f) => f._values))].sort().join(', ')} with DNS through Cilium's proxy`,
      endpointSelector: plan.pods,
      egress,
      additionalRules,
    });
    declareFqdnConnections(this, props, plan);
  }
}

/** The validated props: the pods, their namespace and the names. */
interface FqdnPlan {
  readonly pods: EndpointSelector;
  readonly namespace: string;
  readonly fqdns: Fqdn[];
}

function planFqdnEgress(props: FqdnEgressProps): FqdnPlan {
  requireProps(props, ['pods', 'fqdns']);
  const pods = EndpointSelector.of(props.pods);
  requireNonEmptySelector('pods', pods);
  const fqdns: Fqdn[] = [...props.fqdns];
  if (fqdns.length === 0)
    invalidProp('fqdns', [], 'no DNS names given', 'list names, e.g. Fqdn.name("api.github.com")');
  fqdns.forEach((f, i) => f._render(`fqdns[${i}]`));
  validatePorts('ports', props.ports, false);
  return { pods, namespace: resolveNamespace('namespace', props.namespace, pods), fqdns };
}

function apiserverPortsOf(props: FqdnEgressProps): Port[] | undefined {
  return Array.isArray(props.allowKubeApiserver) ? props.allowKubeApiserver : undefined;
}

/** DNS through the proxy, the names, and the optional API server, namespace and extra rules. */
function fqdnEgressRules(props: FqdnEgressProps, plan: FqdnPlan): EgressRule[] {
  return [
    dnsEgressRule({ ...props.dns, dnsQueries: props.dns?.dnsQueries?.withNames(plan.fqdns) }),
    new EgressRule({ to: Peer.fqdns(...plan.fqdns), ports: props.ports ?? [Port.tcp(443)] }),
    ...(props.allowKubeApiserver
      ? [new EgressRule({ to: Peer.entities(Entity.KUBE_APISERVER), ports: apiserverPortsOf(props) })]
      : []),
    ...(props.allowSameNamespace
      ? [new EgressRule({ to: Peer.endpoints(EndpointSelector.allInNamespace(plan.namespace)) })]
      : []),
    ...(props.additionalEgress ?? []),
  ];
}

function sameNamespaceIngress(props: FqdnEgressProps, plan: FqdnPlan): RuleProps[] {
  return props.allowSameNamespace
    ? [
        {
          description: `Pods of ${plan.namespace} reach these pods (an allow only: no ingress default deny from this rule)`,
          endpointSelector: plan.pods,
          ingress: [IngressRule.allowFrom(Peer.endpoints(EndpointSelector.allInNamespace(plan.namespace)))],
          enableDefaultDeny: { ingress: false },
        },
      ]
    : [];
}

function declareFqdnConnections(scope: FqdnEgress, props: FqdnEgressProps, plan: FqdnPlan): void {
  const pods = ConnectionEnd.pods(props.pods, plan.namespace);
  const ports = props.ports ?? [Port.tcp(443)];
  for (const f of plan.fqdns) declareConnection(scope, { from: pods, to: ConnectionEnd.fqdn(f), ports });
  const dns = endpointSelectorsOf(props.dns?.dnsServer ?? Peer.kubeDns())[0];
  if (dns)
    declareConnection(scope, {
      from: pods,
      to: ConnectionEnd.pods(dns, 'kube-system'),
      ports: [props.dns?.dnsPort ?? Port.any(53)],
    });
  if (props.allowKubeApiserver) {
    declareConnection(scope, {
      from: pods,
      to: ConnectionEnd.entity(Entity.KUBE_APISERVER),
      ports: apiserverPortsOf(props) ?? [Port.tcp(6443)],
    });
  }
  if (props.allowSameNamespace) {
    declareConnection(scope, { from: pods, to: pods, ports: [Port.allPorts(L4Protocol.ANY)] });
  }
}
