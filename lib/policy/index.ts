export { Entity } from './entity';
export {
  EndpointSelector,
  EndpointSelectorOptions,
  ExpressionsSelectorOptions,
  LabelExpression,
  LabelOperator,
} from './selector';
export { L4Protocol, Port } from './port';
export { Fqdn } from './fqdn';
export { HttpRule, HttpRuleProps } from './l7';
export { CidrOptions, IPeer, Peer } from './peer';
export {
  EgressDenyRule,
  EgressDenyRuleProps,
  EgressRule,
  EgressRuleProps,
  IngressDenyRule,
  IngressDenyRuleProps,
  IngressRule,
  IngressRuleProps,
  RuleTrafficProps,
} from './rule';
export { CiliumPolicy, CiliumPolicyProps, DefaultDenyProps, PolicyMetadataProps, RuleProps } from './policy';
export { Icmp, IcmpFamily } from './icmp';
