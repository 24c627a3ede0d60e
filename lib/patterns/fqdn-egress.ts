import { Construct } from 'constructs';
import { Entity } from '../policy/entity';
import { atConstruct, invalidProp } from '../policy/errors';
import { Fqdn } from '../policy/fqdn';
import { Peer } from '../policy/peer';
import { CiliumPolicy } from '../policy/policy';
import { Port } from '../policy/port';
import { PolicyRule } from '../policy/rule';
import { EndpointSelector } from '../policy/selector';
import { dnsEgressRule, DnsRuleOptions, PodsSelection, requireNonEmptySelector, resolveNamespace, validatePorts } from './common';

export interface FqdnEgressProps extends DnsRuleOptions {
  /** The pods whose egress is locked down. */
  readonly pods: PodsSelection;
  /**
   * The DNS names they may reach. `Fqdn.domainAndSubdomains('github.com')` covers the apex and
   * every subdomain; `Fqdn.pattern('*.github.com')` alone never matches `github.com`.
   */
  readonly fqdns: ReadonlyArray<Fqdn | readonly Fqdn[]>;
  /** Ports on those names. @default [Port.tcp(443)] */
  readonly ports?: readonly Port[];
  /** Namespace of the pods. @default - the workload's namespace */
  readonly namespace?: string;
  /**
   * Also allow the Kubernetes API server (the `kube-apiserver` entity; its real port after
   * service translation, often 6443, so no port restriction by default).
   * @default false
   */
  readonly allowKubeApiserver?: boolean | readonly Port[];
  /** Also allow egress to every pod of the same namespace. @default false */
  readonly allowSameNamespace?: boolean;
  /** More egress rules for the same pods. @default - none */
  readonly additionalEgress?: readonly PolicyRule[];
  /** metadata.name of the policy. @default - generated */
  readonly name?: string;
  /** @default - a sentence listing the names */
  readonly description?: string;
}

/**
 * Egress to named hosts, done right (the seed's ArgoCD -> GitHub policy, fixed): the
 * `toFQDNs` rule plus, in the same policy, the DNS rule to kube-dns with `rules: dns` without
 * which Cilium never learns the names' IPs (semantics note 4.3).
 */
export class FqdnEgress extends Construct {
  readonly policy: CiliumPolicy;

  constructor(scope: Construct, id: string, props: FqdnEgressProps) {
    super(scope, id);
    const plan = atConstruct(this, () => {
      const pods = EndpointSelector.of(props.pods);
      requireNonEmptySelector('pods', pods);
      const fqdns = props.fqdns.flatMap((f) => (Array.isArray(f) ? f : [f as Fqdn]));
      if (fqdns.length === 0) invalidProp('fqdns', [], 'no DNS names given', 'list names, e.g. Fqdn.name("api.github.com")');
      fqdns.forEach((f, i) => f._render(`fqdns[${i}]`));
      validatePorts('ports', props.ports, false);
      return { pods, namespace: resolveNamespace('namespace', props.namespace, pods), fqdns };
    });
    const apiserverPorts = Array.isArray(props.allowKubeApiserver) ? props.allowKubeApiserver as readonly Port[] : undefined;
    const egress: PolicyRule[] = [
      dnsEgressRule({ ...props, dnsQueries: props.dnsQueries?.withNames(plan.fqdns) }),
      PolicyRule.egress({ to: Peer.fqdns(plan.fqdns), ports: props.ports ?? [Port.tcp(443)] }),
      ...(props.allowKubeApiserver ? [PolicyRule.egress({ to: Peer.entities(Entity.KUBE_APISERVER), ports: apiserverPorts })] : []),
      ...(props.allowSameNamespace ? [PolicyRule.egress({ to: Peer.endpoints(EndpointSelector.namespace(plan.namespace)) })] : []),
      ...(props.additionalEgress ?? []),
    ];
    this.policy = new CiliumPolicy(this, 'Policy', {
      namespace: plan.namespace,
      name: props.name,
      description: props.description ?? `Egress to ${[...new Set(plan.fqdns.map((f) => f.value))].sort().join(', ')} with DNS through Cilium's proxy`,
      endpointSelector: plan.pods,
      egress,
    });
  }
}
