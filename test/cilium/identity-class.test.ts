import { classifyIdentity } from '../../lib/cilium/identity-class';
import { parseLabel } from '../../lib/cilium/labels';

const classify = (...labels: string[]) => classifyIdentity(labels.map(parseLabel));

describe('classifyIdentity', () => {
  test('a pod: its namespace, managed, neither world nor address-only', () => {
    expect(classify('k8s:io.kubernetes.pod.namespace=blog', 'k8s:app=blog')).toEqual({
      namespace: 'blog',
      reserved: [],
      isWorld: false,
      byAddress: true,
      isAddressOnly: false,
      managedByDefault: true,
    });
  });

  test('world, CIDR and FQDN identities are world and address-only', () => {
    for (const labels of [
      ['reserved:world'],
      ['reserved:world-ipv6'],
      ['cidr:10.0.0.0/8'],
      ['fqdn:api.github.com'],
    ]) {
      const c = classify(...labels);
      expect([c.isWorld, c.isAddressOnly, c.byAddress, c.managedByDefault]).toEqual([
        true,
        true,
        true,
        false,
      ]);
    }
    expect(classify('reserved:world-ipv4', 'cidr:1.2.3.4/32').entity).toBe('world');
  });

  test('no label at all is world but not address-only', () => {
    expect(classify()).toMatchObject({ isWorld: true, isAddressOnly: false, byAddress: true });
  });

  test('reserved identities: the narrowest entity; health, ingress and init enforce', () => {
    expect(classify('reserved:host')).toMatchObject({
      entity: 'host',
      isWorld: false,
      managedByDefault: false,
    });
    expect(classify('reserved:kube-apiserver', 'reserved:remote-node').entity).toBe('kube-apiserver');
    for (const r of ['health', 'ingress', 'init'])
      expect(classify(`reserved:${r}`).managedByDefault).toBe(true);
  });

  test('a kube-apiserver with CIDR labels: CIDR rules apply, but it is named by its entity', () => {
    const c = classify('reserved:kube-apiserver', 'cidr:10.0.0.1/32');
    expect(c).toMatchObject({
      isWorld: true,
      byAddress: false,
      isAddressOnly: false,
      entity: 'kube-apiserver',
    });
  });
});
