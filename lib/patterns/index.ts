export { DnsQueries, DnsRuleOptions } from './common';
export {
  CustomIngressControllerOptions,
  IngressController,
  IngressNginxOptions,
  TraefikOptions,
} from './ingress-controller';
export { IngressOnlyApp, IngressOnlyAppProps } from './ingress-only-app';
export { TieredApp, TieredAppProps, TierProps } from './tiered-app';
export { FqdnEgress, FqdnEgressProps } from './fqdn-egress';
export { ClusterDefaultDeny, ClusterDefaultDenyProps } from './cluster-default-deny';
export { ConnectionEnd } from './connection-end';
export { Connection, ConnectionProps } from './connection';
export {
  IngressClients,
  IngressControllerPolicy,
  IngressControllerPolicyProps,
} from './ingress-controller-policy';
export { SameNamespaceTraffic, SameNamespaceTrafficProps } from './same-namespace';
export { ArgoCd, ArgoCdComponent, ArgoCdEgressProps, ArgoCdProps } from './argocd';
