import {
  identityExclusionReason,
  isIdentityLabel,
  isIdentityLabelKey,
} from '../../lib/cilium/identity-labels';
import { parseLabel } from '../../lib/cilium/labels';

/**
 * Expected values: Cilium v1.20.0 `pkg/labelsfilter` with its default configuration, run once over
 * these keys (docs/cilium-semantics.md, "Selectors" and "Labels outside the identity").
 */
describe('Cilium 1.20 default label filter', () => {
  test.each([
    ['io.kubernetes.pod.namespace', true],
    ['io.kubernetes.pod.name', false],
    ['kubernetes.io/hostname', false],
    ['kubernetes.io/metadata.name', false],
    ['topology.kubernetes.io/zone', false],
    ['beta.kubernetes.io/arch', false],
    ['failure-domain.beta.kubernetes.io/zone', false],
    ['k8s.io/x', false],
    ['sub.k8s.io/x', true],
    ['app.kubernetes.io/name', true],
    ['io.cilium.k8s.policy.serviceaccount', true],
    ['io.cilium.k8s.policy.cluster', true],
    ['io.cilium.k8s.policy.derived-from', true],
    ['io.cilium.k8s.namespace.labels.kubernetes.io/metadata.name', true],
    ['pod-template-hash', false],
    ['pod-template-generation', false],
    ['controller-revision-hash', false],
    ['controller-uid', false],
    ['annotation.foo', false],
    ['etcd_node', false],
    ['app', true],
    ['statefulset.kubernetes.io/pod-name', false],
    ['apps.kubernetes.io/pod-index', false],
    ['batch.kubernetes.io/job-completion-index', false],
    ['batch.kubernetes.io/controller-uid', false],
    ['batch.kubernetes.io/job-name', true],
    ['node.kubernetes.io/instance-type', true],
    ['node-role.kubernetes.io/control-plane', true],
    ['io.kubernetes.container.name', false],
    ['ioXkubernetes', true],
    ['ignore', true],
    ['kubernetes.io.foo', false],
    ['beta.kubernetes.io.foo', false],
    ['annotation.kubectl.kubernetes.io', false],
    ['io.cilium.k8s.namespace.labels', true],
    ['k8s-app', true],
    ['job-name', true],
    ['controller-uid-x', false],
    ['pod-template-hashx', false],
    ['k8s.iofoo', false],
    ['io.kubernetesfoo', false],
    ['annotationfoo', false],
    ['example.com/team', true],
    ['app.kubernetes.io', true],
  ])('%s in identity: %s', (key, kept) => expect(isIdentityLabelKey(key)).toBe(kept));
});

describe('identity labels by source', () => {
  test.each([
    ['k8s:io.kubernetes.pod.namespace=x', true],
    ['k8s:io.kubernetes.pod.name=x', false],
    ['k8s:beta.kubernetes.io/arch=x', false],
    ['k8s:app=x', true],
    ['reserved:host', true],
    ['reserved:kubernetes.io', true],
    ['cidr:10.0.0.0/8', true],
    ['fqdn:api.github.com', true],
    ['container:annotation.foo=x', false],
  ])('%s in identity: %s', (label, want) => expect(isIdentityLabel(parseLabel(label))).toBe(want));
});

describe('exclusion reasons name the rule that drops the key', () => {
  test.each([
    ['pod-template-hash', '`pod-template-hash` is set per pod'],
    ['statefulset.kubernetes.io/pod-name', '`statefulset.kubernetes.io/pod-name` is set per pod'],
    ['kubernetes.io/metadata.name', '`kubernetes.io*` keys'],
    ['io.kubernetes.container.name', '`io.kubernetes*` keys (other than the pod namespace)'],
    ['failure-domain.beta.kubernetes.io/zone', '`*beta.kubernetes.io` keys'],
    ['topology.kubernetes.io/zone', '`topology.kubernetes.io*` keys'],
    ['annotation.foo', '`annotation*` keys'],
  ])('%s', (key, reason) => expect(identityExclusionReason(key)).toContain(reason));
  test('kept keys have none', () =>
    expect(identityExclusionReason('app.kubernetes.io/name')).toBeUndefined());
});
