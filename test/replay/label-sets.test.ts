import { HubbleEndpoint } from '../../lib/hubble/flow-json';
import { LabelSets } from '../../lib/hubble/label-sets';

/**
 * Label sets are interned per security identity number, but the number is never trusted: an
 * endpoint gets the set of exactly its own labels, however its list differs from one seen before
 * under the same number.
 */
describe('LabelSets', () => {
  const ep = (labels: string[], extra: Partial<HubbleEndpoint> = {}): HubbleEndpoint => ({
    identity: 4242,
    labels,
    ...extra,
  });

  test('lists under one identity number differing in any way get their own sets', () => {
    const sets = new LabelSets();
    const long = 'k8s:app='.padEnd(70_000, 'x');
    const lists = [
      ['k8s:app=ab', 'k8s:c=d'],
      ['k8s:app=a', 'bk8s:c=d'], // the same characters, cut elsewhere
      ['k8s:app=abk8s:c=d'],
      ['k8s:app=ab', 'k8s:c=d', ''],
      ['k8s:app=ab'],
      [long],
      [long.slice(0, -1) + 'y'],
      [long, 'k8s:c=d'],
    ];
    const ids = lists.map((labels) => sets.of(ep(labels)).id);
    expect(new Set(ids).size).toBe(lists.length);
    // Seen again (fresh arrays of equal strings): the same sets.
    for (let i = 0; i < lists.length; i++) {
      const set = sets.of(ep(lists[i].map((l) => (' ' + l).slice(1))));
      expect(set.id).toBe(ids[i]);
      expect(set.labels).toEqual([...lists[i]].sort());
    }
  });

  test('the namespace and cluster fields are part of the identity', () => {
    const sets = new LabelSets();
    const labels = ['k8s:app=api'];
    const a = sets.of(ep(labels, { namespace: 'shop' }));
    const b = sets.of(ep(labels, { namespace: 'shop', cluster_name: 'east' }));
    const c = sets.of(ep(labels, { namespace: 'web' }));
    expect(new Set([a.id, b.id, c.id]).size).toBe(3);
    expect(a.labels).toEqual(['k8s:app=api', 'k8s:io.kubernetes.pod.namespace=shop']);
    expect(sets.of(ep([...labels], { namespace: 'shop' })).id).toBe(a.id);
  });
});
