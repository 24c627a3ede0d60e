import {
  invalidSelectorKeyReason,
  isLabelValue,
  isNamespaceName,
  splitSelectorKey,
} from '../../lib/cilium/label-keys';
import { formatLabel, parseLabel } from '../../lib/cilium/labels';

describe('1.6 selector keys', () => {
  test.each([
    ['app', { source: 'any', key: 'app' }],
    ['k8s:app', { source: 'k8s', key: 'app' }],
    ['reserved:health', { source: 'reserved', key: 'health' }],
    ['$host', { source: 'reserved', key: 'host' }],
    [
      'k8s:io.cilium.k8s.namespace.labels.kubernetes.io/metadata.name',
      { source: 'k8s', key: 'io.cilium.k8s.namespace.labels.kubernetes.io/metadata.name' },
    ],
  ])('%s', (raw, want) => expect(splitSelectorKey(raw)).toEqual(want));

  test.each([
    ['app', undefined],
    ['k8s:app', undefined],
    ['app.kubernetes.io/name', undefined],
    ['any:io.kubernetes.pod.namespace', undefined],
    ['reserved:health', undefined],
    ['k8s-app', undefined],
    ['a'.repeat(63), undefined],
    ['k8s:a:b', "more than one ':'"],
    ['k-8:app', 'source `k-8` is not alphanumeric'],
    [':app', 'source `` is not alphanumeric'],
    ['k8s:', 'the key is empty'],
    ['', 'the key is empty'],
    ['Example.com/app', 'prefix `Example.com` is not a DNS subdomain'],
    ['/app', 'prefix `` is not a DNS subdomain'],
    ['a/b/c', 'prefix `a/b` is not a DNS subdomain'],
    ['app name', 'is not a label name'],
    ['-app', 'is not a label name'],
    ['a'.repeat(64), 'is not a label name'],
    ['$host', 'write `reserved:host`'],
  ])('%j: %s', (raw, why) => {
    const reason = invalidSelectorKeyReason(raw);
    if (why === undefined) expect(reason).toBeUndefined();
    else expect(reason).toContain(why);
  });
});

describe('label values and namespace names', () => {
  test.each([
    ['', true],
    ['blog', true],
    ['a.b_c-d', true],
    ['-a', false],
    ['a b', false],
    ['x'.repeat(63), true],
    ['x'.repeat(64), false],
    [5, false],
  ])('value %j: %s', (v, ok) => expect(isLabelValue(v)).toBe(ok));
  test.each([
    ['blog', true],
    ['kube-system', true],
    ['Blog', false],
    ['a_b', false],
    ['', false],
    ['x'.repeat(64), false],
  ])('namespace %j: %s', (v, ok) => expect(isNamespaceName(v)).toBe(ok));
});

describe('identity labels', () => {
  test('parse', () => {
    expect(parseLabel('k8s:app=blog')).toEqual({ source: 'k8s', key: 'app', value: 'blog' });
    expect(parseLabel('reserved:host')).toEqual({ source: 'reserved', key: 'host', value: '' });
    expect(parseLabel('k8s:io.cilium.k8s.namespace.labels.kubernetes.io/metadata.name=x')).toEqual({
      source: 'k8s',
      key: 'io.cilium.k8s.namespace.labels.kubernetes.io/metadata.name',
      value: 'x',
    });
    expect(parseLabel('app=a:b')).toEqual({ source: 'unspec', key: 'app', value: 'a:b' });
  });
  test.each(['k8s:app=blog', 'reserved:host', 'cidr:10.0.0.0/8', 'k8s:empty='])(
    'format round-trips %s',
    (l) => expect(formatLabel(parseLabel(l))).toBe(l),
  );
});
