export * from './common';
export * from './ingress-controller';
export * from './ingress-only-app';
export * from './tiered-app';
export * from './fqdn-egress';
export * from './cluster-default-deny';
