// The jsii assembly: constructs, the policy vocabulary and the Helm values. The tools live on
// the `cdk8s-cilium-lockdown/tools`, `/testing` and `/plugin` subpaths.
export * from './policy';
export * from './patterns';
export * from './helm';
