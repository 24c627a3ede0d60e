import { Construct } from 'constructs';
import { Entity } from '../policy/entity';
import { atConstruct, invalidProp } from '../policy/errors';
import { Fqdn } from '../policy/fqdn';
import { Peer } from '../policy/peer';
import { CiliumPolicy } from '../policy/policy';
import { Port } from '../policy/port';
import { PolicyRule } from '../policy/rule';
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

export interface FqdnEgressProps extends DnsRuleOptions {
  /** The pods whose egress is locked down. */
  readonly pods: PodsSelection;
  /**
   * The DNS names they may reach. `Fqdn.domainAndSubdomains('github.com')` covers the apex and
   * every subdomain; `Fqdn.pattern('*.github.com')` alone never matches `github.com`.
   */
  readonly fqdns: ReadonlyArray<Fqdn | readonly Fqdn[]>;
  /** Ports on those names (an empty list is refused: it would mean every port). @default [Port.tcp(443)] */
  readonly ports?: readonly Port[];
  /** Namespace of the pods. @default - the workload's namespace */
  readonly namespace?: string;
  /**
   * Also allow the Kubernetes API server (the `kube-apiserver` entity; its real port after
   * service translation, often 6443, so no port restriction by default).
   * @default false
   */
  readonly allowKubeApiserver?: boolean | readonly Port[];
  /**
   * The pods of the namespace reach each other, both ways: egress to every pod of the namespace,
   * and ingress from them in a second rule of the same object that adds an allow without making
   * the pods ingress default-deny (what an app installed by one Helm chart, such as ArgoCD, needs
   * under a cluster default deny).
   * @default false
   */
  readonly allowSameNamespace?: boolean;
  /** More egress rules for the same pods. @default - none */
  readonly additionalEgress?: readonly PolicyRule[];
  /** metadata.name of the policy. @default - generated */
  readonly name?: string;
  /** @default - a sentence listing the names */
  readonly description?: string;
}

/**
 * Egress to named hosts, done right: the `toFQDNs` rule plus, in the same policy, the DNS rule
 * to kube-dns with `rules: dns`, without which Cilium never learns the names' IPs. Every
 * connection it allows is declared and verified at synth.
 */
export class FqdnEgress extends Construct {
  readonly policy: CiliumPolicy;

  constructor(scope: Construct, id: string, props: FqdnEgressProps) {
    super(scope, id);
    const plan = atConstruct(this, () => {
      requireProps(props, ['pods', 'fqdns']);
      const pods = EndpointSelector.of(props.pods);
      requireNonEmptySelector('pods', pods);
      const fqdns = props.fqdns.flatMap((f) => (Array.isArray(f) ? f : [f as Fqdn]));
      if (fqdns.length === 0)
        invalidProp('fqdns', [], 'no DNS names given', 'list names, e.g. Fqdn.name("api.github.com")');
      fqdns.forEach((f, i) => f._render(`fqdns[${i}]`));
      validatePorts('ports', props.ports, false);
      return { pods, namespace: resolveNamespace('namespace', props.namespace, pods), fqdns };
    });
    const apiserverPorts = Array.isArray(props.allowKubeApiserver)
      ? (props.allowKubeApiserver as readonly Port[])
      : undefined;
    const egress: PolicyRule[] = [
      dnsEgressRule({ ...props, dnsQueries: props.dnsQueries?.withNames(plan.fqdns) }),
      PolicyRule.egress({ to: Peer.fqdns(plan.fqdns), ports: props.ports ?? [Port.tcp(443)] }),
      ...(props.allowKubeApiserver
        ? [PolicyRule.egress({ to: Peer.entities(Entity.KUBE_APISERVER), ports: apiserverPorts })]
        : []),
      ...(props.allowSameNamespace
        ? [PolicyRule.egress({ to: Peer.endpoints(EndpointSelector.namespace(plan.namespace)) })]
        : []),
      ...(props.additionalEgress ?? []),
    ];
    const sameNamespaceIngress = props.allowSameNamespace
      ? [
          {
            description: `Pods of ${plan.namespace} reach these pods (an allow only: no ingress default deny from this rule)`,
            endpointSelector: plan.pods,
            ingress: [PolicyRule.allowFrom(Peer.endpoints(EndpointSelector.namespace(plan.namespace)))],
            enableDefaultDeny: { ingress: false },
          },
        ]
      : [];
    this.policy = new CiliumPolicy(this, 'Policy', {
      namespace: plan.namespace,
      name: props.name,
      description:
        props.description ??
        `Egress to ${[...new Set(plan.fqdns.map((f) => f.value))].sort().join(', ')} with DNS through Cilium's proxy`,
      endpointSelector: plan.pods,
      egress,
      additionalSpecs: sameNamespaceIngress,
    });
    const pods = ConnectionEnd.pods(props.pods, plan.namespace);
    const ports = props.ports ?? [Port.tcp(443)];
    for (const f of plan.fqdns) declareConnection(this, { from: pods, to: ConnectionEnd.fqdn(f), ports });
    const dns = (props.dnsServer ?? Peer.kubeDns()).endpointSelectors[0];
    if (dns)
      declareConnection(this, {
        from: pods,
        to: ConnectionEnd.pods(dns, 'kube-system'),
        ports: [props.dnsPort ?? Port.any(53)],
      });
    if (props.allowKubeApiserver) {
      declareConnection(this, {
        from: pods,
        to: ConnectionEnd.entity(Entity.KUBE_APISERVER),
        ports: apiserverPorts ?? [Port.tcp(6443)],
      });
    }
    if (props.allowSameNamespace) {
      declareConnection(this, { from: pods, to: pods, ports: [Port.allPorts('ANY')] });
    }
  }
}
