import { Construct } from 'constructs';
import { Entity } from '../policy/entity';
import { atConstruct } from '../policy/errors';
import { NAMESPACE_LABEL, validateNamespaceName } from '../policy/labels';
import { Peer } from '../policy/peer';
import { CiliumPolicy, PolicySpecProps } from '../policy/policy';
import { Port } from '../policy/port';
import { PolicyRule } from '../policy/rule';
import { EndpointSelector, LabelExpression } from '../policy/selector';
import { dnsEgressRule, DnsRuleOptions } from './common';

export interface ClusterDefaultDenyProps extends DnsRuleOptions {
  /** Namespaces left alone. @default ['kube-system'] */
  readonly exemptNamespaces?: readonly string[];
  /** Default-deny egress too (DNS stays allowed by this same object). @default false */
  readonly egress?: boolean;
  /**
   * Also select Cilium's non-pod endpoints (cilium-health, Cilium ingress), as
   * `endpointSelector: {}` would; the policy then allows what cilium-health needs
   * (remote-node and host, semantics note 2.1). @default false (pods only)
   */
  readonly includeReservedEndpoints?: boolean;
  /** The namespace of the cluster DNS, for the DNS ingress allowance when it is not exempt. @default 'kube-system' */
  readonly dnsNamespace?: string;
  /** metadata.name. @default - generated */
  readonly name?: string;
}

/**
 * A cluster-wide default deny (CiliumClusterwideNetworkPolicy) for all pods outside the exempt
 * namespaces, with the DNS allowance in the same object, so cluster DNS never breaks between two applies.
 */
export class ClusterDefaultDeny extends Construct {
  readonly policy: CiliumPolicy;

  constructor(scope: Construct, id: string, props: ClusterDefaultDenyProps = {}) {
    super(scope, id);
    const exempt = [...new Set(props.exemptNamespaces ?? ['kube-system'])].sort();
    const dnsNamespace = props.dnsNamespace ?? 'kube-system';
    atConstruct(this, () => {
      exempt.forEach((ns, i) => validateNamespaceName(`exemptNamespaces[${i}]`, ns));
      validateNamespaceName('dnsNamespace', dnsNamespace);
    });
    const subject = EndpointSelector.expressions([
      ...(props.includeReservedEndpoints ? [] : [LabelExpression.exists(NAMESPACE_LABEL)]),
      ...(exempt.length ? [LabelExpression.notIn(NAMESPACE_LABEL, exempt)] : []),
    ]);
    const dnsServer = props.dnsServer ?? Peer.kubeDns(dnsNamespace);
    const specs: PolicySpecProps[] = [{
      description: `Default deny ${props.egress ? 'ingress and egress' : 'ingress'} for every pod outside ${exempt.join(', ') || 'no namespace'}`
        + (props.egress ? '; DNS to the cluster DNS stays allowed' : ''),
      endpointSelector: subject,
      ingress: [PolicyRule.defaultDenyIngress()],
      egress: props.egress ? [dnsEgressRule({ ...props, dnsServer })] : undefined,
    }];
    if (!exempt.includes(dnsNamespace)) {
      specs.push({
        description: 'The cluster DNS stays reachable from every pod',
        endpointSelector: EndpointSelector.labels({ 'k8s-app': 'kube-dns' }, { namespace: dnsNamespace }),
        ingress: [PolicyRule.ingress({ from: Peer.entities(Entity.CLUSTER), ports: [props.dnsPort ?? Port.any(53)] })],
      });
    }
    if (props.includeReservedEndpoints) {
      specs.push({
        description: 'cilium-health probes between nodes (TCP 4240 and ICMP)',
        endpointSelector: EndpointSelector.labels({ 'reserved:health': '' }),
        ingress: [PolicyRule.ingress({ from: Peer.entities(Entity.REMOTE_NODE, Entity.HOST) })],
        egress: props.egress ? [PolicyRule.egress({ to: Peer.entities(Entity.REMOTE_NODE, Entity.HOST) })] : undefined,
      });
    }
    const [first, ...rest] = specs;
    this.policy = new CiliumPolicy(this, 'Policy', { ...first, clusterwide: true, name: props.name, additionalSpecs: rest });
  }
}
