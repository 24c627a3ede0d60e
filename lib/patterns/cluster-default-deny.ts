import { Construct } from 'constructs';
import { Entity } from '../policy/entity';
import { atConstruct, invalidProp } from '../policy/errors';
import { NAMESPACE_LABEL, validateNamespaceName } from '../policy/labels';
import { endpointSelectorsOf, IPeer, Peer } from '../policy/peer';
import { CiliumPolicy, RuleProps } from '../policy/policy';
import { Port } from '../policy/port';
import { EgressRule, IngressRule } from '../policy/rule';
import { EndpointSelector, LabelExpression } from '../policy/selector';
import { AppRegistry } from './app-registry';
import { dnsEgressRule, DnsRuleOptions } from './common';
import { ConnectionEnd } from './connection-end';
import { declareConnection } from './verify-connections';

/** Props of `ClusterDefaultDeny`. */
export interface ClusterDefaultDenyProps {
  /** Namespaces left alone. @default ['kube-system'] */
  readonly exemptNamespaces?: string[];
  /** Default-deny egress too (DNS stays allowed by this same object). @default false */
  readonly egress?: boolean;
  /**
   * Also select the cilium-health endpoints, as `endpointSelector: {}` would (e.g. for a
   * `policyEnforcementMode: always` style lockdown); the policy then allows what cilium-health
   * needs (remote-node and host). Cilium's own ingress Envoy stays unselected.
   * @default false (pods only)
   */
  readonly includeReservedEndpoints?: boolean;
  /** With `egress`, let every selected pod reach the Kubernetes API server (the `kube-apiserver` entity). @default false */
  readonly allowKubeApiserver?: boolean;
  /** The namespace of the cluster DNS, for the DNS ingress allowance when it is not exempt. @default 'kube-system' */
  readonly dnsNamespace?: string;
  /** The cluster DNS and the queries its proxy lets through (with `egress`). @default - kube-dns in `dnsNamespace` on 53, all queries */
  readonly dns?: DnsRuleOptions;
  /** metadata.name of the policy. @default - generated */
  readonly policyName?: string;
}

/**
 * A cluster-wide default deny (CiliumClusterwideNetworkPolicy) for all pods outside the exempt
 * namespaces, with the DNS allowance in the same object, so cluster DNS never breaks between two applies.
 */
export class ClusterDefaultDeny extends Construct {
  /** The policy it synthesizes. */
  readonly policy: CiliumPolicy;

  constructor(scope: Construct, id: string, props: ClusterDefaultDenyProps = {}) {
    super(scope, id);
    const exempt = [...new Set(props.exemptNamespaces ?? ['kube-system'])].sort();
    const dnsNamespace = props.dnsNamespace ?? 'kube-system';
    atConstruct(this, () => validateNamespaces(exempt, dnsNamespace));
    const dnsServer = props.dns?.dnsServer ?? Peer.kubeDns(dnsNamespace);
    const specs: RuleProps[] = [defaultDenySpec(props, exempt, dnsServer)];
    if (!exempt.includes(dnsNamespace)) {
      const dnsPods = atConstruct(this, () => dnsServerSelectors(dnsServer, dnsNamespace));
      specs.push(dnsAllowanceSpec(props, dnsPods));
    }
    if (props.includeReservedEndpoints) specs.push(healthSpec(props));
    if (props.allowKubeApiserver && !props.egress) atConstruct(this, refuseKubeApiserverWithoutEgress);
    const [first, ...rest] = specs;
    this.policy = new CiliumPolicy(this, 'Policy', {
      ...first,
      clusterwide: true,
      name: props.policyName,
      additionalRules: rest,
    });
    if (props.egress)
      AppRegistry.of(this).egressDefaultDenies.push({ exemptNamespaces: new Set(exempt), declaredBy: this });
    this.declarePromisedConnections(props, exempt, dnsServer, dnsNamespace);
  }

  /** What this object promises: any pod it covers resolves names, and cilium-health keeps working. */
  private declarePromisedConnections(
    props: ClusterDefaultDenyProps,
    exempt: string[],
    dnsServer: IPeer,
    dnsNamespace: string,
  ): void {
    const covered = ['default', 'cluster-default-deny-check'].find((ns) => !exempt.includes(ns))!;
    const anyPod = ConnectionEnd.pods(EndpointSelector.allInNamespace(covered));
    const dns = endpointSelectorsOf(dnsServer)[0];
    if (dns) {
      const dnsEnd = ConnectionEnd.pods(dns, dnsNamespace);
      declareConnection(this, {
        from: anyPod,
        to: dnsEnd,
        ports: [props.dns?.dnsPort ?? Port.any(53)],
        fix: {
          ingress: () =>
            `the DNS pods are in namespace ${dnsEnd.namespace}: set \`dnsNamespace: '${dnsEnd.namespace}'\` (this object then keeps them reachable), or exempt that namespace`,
        },
      });
    }
    if (props.egress && props.allowKubeApiserver) {
      declareConnection(this, {
        from: anyPod,
        to: ConnectionEnd.entity(Entity.KUBE_APISERVER),
        ports: [Port.tcp(6443)],
      });
    }
    if (props.includeReservedEndpoints) {
      declareConnection(this, {
        from: ConnectionEnd.entity(Entity.REMOTE_NODE),
        to: ConnectionEnd.entity(Entity.HEALTH),
        ports: [Port.tcp(4240)],
      });
    }
  }
}

function validateNamespaces(exempt: string[], dnsNamespace: string): void {
  exempt.forEach((ns, i) => validateNamespaceName(`exemptNamespaces[${i}]`, ns));
  validateNamespaceName('dnsNamespace', dnsNamespace);
}

/** The first spec: default deny for every covered pod, with its DNS egress when egress is denied too. */
function defaultDenySpec(props: ClusterDefaultDenyProps, exempt: string[], dnsServer: IPeer): RuleProps {
  const subject = EndpointSelector.expressions([
    ...(props.includeReservedEndpoints
      ? [LabelExpression.doesNotExist('reserved:ingress')]
      : [LabelExpression.exists(NAMESPACE_LABEL)]),
    ...(exempt.length ? [LabelExpression.notIn(NAMESPACE_LABEL, exempt)] : []),
  ]);
  return {
    description:
      `Default deny ${props.egress ? 'ingress and egress' : 'ingress'} for every pod outside ${exempt.join(', ') || 'no namespace'}` +
      (props.egress ? '; DNS to the cluster DNS stays allowed' : ''),
    endpointSelector: subject,
    ingress: [IngressRule.defaultDeny()],
    egress: props.egress
      ? [
          dnsEgressRule({ ...props.dns, dnsServer }),
          ...(props.allowKubeApiserver ? [EgressRule.allowTo(Peer.entities(Entity.KUBE_APISERVER))] : []),
        ]
      : undefined,
  };
}

/** Keeps the cluster DNS (in a covered namespace) reachable, and able to reach its upstreams. */
function dnsAllowanceSpec(props: ClusterDefaultDenyProps, dnsPods: EndpointSelector): RuleProps {
  const dnsPort = props.dns?.dnsPort ?? Port.any(53);
  return {
    description: `The cluster DNS stays reachable from every pod${props.egress ? ', and reaches its upstream resolvers and the API server' : ''}`,
    endpointSelector: dnsPods,
    ingress: [new IngressRule({ from: Peer.entities(Entity.CLUSTER), ports: [dnsPort] })],
    egress: props.egress
      ? [
          EgressRule.allowTo(Peer.entities(Entity.WORLD, Entity.HOST, Entity.REMOTE_NODE), Port.any(53)),
          EgressRule.allowTo(Peer.entities(Entity.KUBE_APISERVER)),
        ]
      : undefined,
  };
}

function healthSpec(props: ClusterDefaultDenyProps): RuleProps {
  return {
    description: 'cilium-health probes between nodes (TCP 4240 and ICMP)',
    endpointSelector: EndpointSelector.labels({ 'reserved:health': '' }),
    ingress: [new IngressRule({ from: Peer.entities(Entity.REMOTE_NODE, Entity.HOST) })],
    egress: props.egress
      ? [new EgressRule({ to: Peer.entities(Entity.REMOTE_NODE, Entity.HOST) })]
      : undefined,
  };
}

function refuseKubeApiserverWithoutEgress(): never {
  return invalidProp(
    'allowKubeApiserver',
    true,
    'only used when egress is default-denied too',
    'set `egress: true`, or drop it',
  );
}

/** The DNS pods the allowance spec selects: the one pod selector of `dnsServer`, in its namespace. */
function dnsServerSelectors(dnsServer: IPeer, dnsNamespace: string): EndpointSelector {
  const selectors = endpointSelectorsOf(dnsServer);
  if (selectors.length !== 1) {
    invalidProp(
      'dns.dnsServer',
      selectors.length ? `${selectors.length} pod selectors` : 'not pods',
      'the DNS allowance needs the DNS pods as one pod selector',
      'give Peer.endpoints(EndpointSelector.labels({ ... }, { namespace })) or exempt the DNS namespace',
    );
  }
  return selectors[0].withDefaultNamespace(dnsNamespace);
}
