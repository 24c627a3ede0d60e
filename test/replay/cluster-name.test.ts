import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { runReplay } from '../../lib/replay/run';

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'hubble');
const POLICIES = path.join(FIXTURES, 'homelab-policies.yaml');
const AUDIT = path.join(FIXTURES, 'homelab-audit.jsonl');

/** Cilium scopes peer selectors to the local cluster; replay must know the cluster's real name. */
describe('replay takes the cluster name from the flows', () => {
  let tmp: string;
  beforeAll(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'replay-cluster-'));
  });
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  const summary = async (flows: string, clusterName?: string) => {
    const run = await runReplay({
      policies: [POLICIES],
      flows,
      engine: clusterName ? { clusterName } : undefined,
    });
    return {
      wouldDrop: run.result.summary.wouldDrop,
      groups: run.result.summary.groups,
      cluster: run.engine.options.clusterName,
    };
  };

  test('a cluster named prod gives the same predictions as one named default', async () => {
    const renamed = path.join(tmp, 'prod.jsonl');
    fs.writeFileSync(
      renamed,
      fs
        .readFileSync(AUDIT, 'utf8')
        .replaceAll('io.cilium.k8s.policy.cluster=default', 'io.cilium.k8s.policy.cluster=prod'),
    );
    const base = await summary(AUDIT);
    const prod = await summary(renamed);
    expect(prod).toEqual({ ...base, cluster: 'prod' });
    // Forcing the wrong name shows why it matters: pod peers no longer match, more would drop.
    const wrong = await summary(renamed, 'default');
    expect(wrong.wouldDrop).toBeGreaterThan(base.wouldDrop);
  });
});
