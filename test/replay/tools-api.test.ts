import * as path from 'path';
import {
  assessRollout,
  FlowInputError,
  ManifestLoadError,
  ReplayInputError,
  runReplay,
} from '../../lib/tools';
import { HOMELAB, observeLine } from './hubble-builder';
import { tempFlows } from './temp-flows';

/** The replay and the rollout gate from code (README, "The rollout gate"), as `/tools` exports them. */
const POLICIES = path.join(__dirname, '..', 'fixtures', 'hubble', 'homelab-policies.yaml');
const { dir, flowsFile } = tempFlows('tools-api-');
const time = '2026-07-01T10:00:00Z';
const node = 'default/k3s-1';
const allowed = observeLine({ src: HOMELAB.traefik, dst: HOMELAB.blog, dport: 80, time, node });
const audited = observeLine({
  src: HOMELAB.prometheus,
  dst: HOMELAB.blog,
  dport: 9100,
  verdict: 'AUDIT',
  time,
  node,
});

test('runReplay and assessRollout answer as the rollout command does', async () => {
  const ready = assessRollout(await runReplay({ policies: [POLICIES], flows: flowsFile([allowed]) }));
  expect(ready).toMatchObject({ ready: true, exitCode: 0, blockers: [] });
  expect(ready.run.result.summary).toMatchObject({ lines: 1, evaluated: 1, wouldDrop: 0 });

  const run = await runReplay({ policies: [POLICIES], flows: flowsFile([allowed, audited]) });
  expect(run.gate.blockers.map((b) => b.kind)).toEqual(['would-drop']);
  const notReady = assessRollout(run);
  expect(notReady).toMatchObject({ ready: false, exitCode: 1 });
  expect(notReady.blockers.map((b) => b.kind)).toEqual(['would-drop']);
});

test('since and until take a Date as well as text', async () => {
  const later = observeLine({
    src: HOMELAB.traefik,
    dst: HOMELAB.blog,
    dport: 80,
    sport: 40001,
    time: '2026-07-01T10:00:10Z',
    node,
  });
  const flows = flowsFile([allowed, later]);
  const fromDate = await runReplay({ policies: [POLICIES], flows, since: new Date('2026-07-01T10:00:05Z') });
  const fromText = await runReplay({ policies: [POLICIES], flows, since: '2026-07-01T10:00:05Z' });
  expect(fromDate.result.summary.evaluated).toBe(1);
  expect(fromDate.result.groups).toEqual(fromText.result.groups);
  const untilDate = await runReplay({ policies: [POLICIES], flows, until: new Date('2026-07-01T10:00:05Z') });
  expect(untilDate.result.summary.evaluated).toBe(1);
  await expect(runReplay({ policies: [POLICIES], flows, since: new Date('not a time') })).rejects.toThrow(
    new ReplayInputError('since: expected a valid Date or text, got an invalid Date'),
  );
});

test("errors name runReplay's options, and the CLI's flags when asked to", async () => {
  const flows = flowsFile([allowed]);
  await expect(runReplay({ policies: [POLICIES], flows, since: 'yesterday' })).rejects.toThrow(
    new ReplayInputError(
      'since "yesterday": expected an RFC 3339 time (2026-07-01T12:00:00Z) or a duration before now (30m, 1h30m, 2d)',
    ),
  );
  await expect(
    runReplay({ policies: [POLICIES], flows, since: '1m', until: '2m' }, { inputNames: 'flags' }),
  ).rejects.toThrow(new ReplayInputError('--since is after --until: no flow can match'));
  await expect(runReplay({ policies: [POLICIES], flows, groups: [flows] })).rejects.toThrow(
    new ReplayInputError('flows and groups: give one (the flows, or the group files saved from them)'),
  );
  await expect(runReplay({ policies: [POLICIES], groups: [flows], namespaces: ['blog'] })).rejects.toThrow(
    new ReplayInputError(
      'namespaces with groups: filters apply when each part is saved (runReplay with flows and saveGroups), the merge cannot apply them',
    ),
  );
  await expect(runReplay({ policies: [POLICIES] })).rejects.toThrow(
    new ReplayInputError(
      'no flows: give flows (a file, or - for stdin), or groups (group files saved with saveGroups)',
    ),
  );
  await expect(runReplay({ policies: [POLICIES], flows, saveGroups: dir() })).rejects.toThrow(
    /^saveGroups .*: cannot write there \(is a directory\); give a file in a writable directory$/,
  );
});

test('input the CLI refuses with exit 2 rejects with its error class', async () => {
  const flows = flowsFile([allowed]);
  await expect(runReplay({ policies: [path.join(dir(), 'missing.yaml')], flows })).rejects.toThrow(
    ManifestLoadError,
  );
  await expect(runReplay({ policies: [POLICIES], flows: path.join(dir(), 'missing.json') })).rejects.toThrow(
    FlowInputError,
  );
  await expect(runReplay({ policies: [POLICIES], flows: flowsFile(['']) })).rejects.toThrow(ReplayInputError);
});
