import { Testing } from 'cdk8s';
import { buildHomelab } from '../../examples/homelab/main';
import { KubeManifest } from '../../lib/manifest/types';
import { connectivitySnapshotMatchers, connectivityTableOf } from '../../lib/testing';

expect.extend(connectivitySnapshotMatchers);

/**
 * The homelab's connectivity is a reviewed artefact: a change to its policies or workloads shows
 * up in this snapshot as the flows it opens and closes. Update with `jest -u` only on purpose.
 */
describe('homelab connectivity', () => {
  let manifests: KubeManifest[];
  beforeAll(() => {
    const app = Testing.app();
    buildHomelab(app);
    manifests = app.charts.flatMap((c) => Testing.synth(c) as KubeManifest[]);
  });

  test('enforced', () => {
    expect(manifests).toMatchConnectivitySnapshot();
  });

  test('the table does not depend on the order of the manifests', () => {
    const reversed = [...manifests].reverse();
    expect(connectivityTableOf(reversed)).toBe(connectivityTableOf(manifests));
  });
});
