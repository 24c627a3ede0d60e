import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as zlib from 'zlib';
import { parseAllDocuments } from 'yaml';
import { syntheticExport } from '../../scripts/gen-hubble-export';

/** examples/replay-across-nodes: the per-node script and the merge script, run as the Jobs run them. */
const ROOT = path.join(__dirname, '..', '..');
const EXAMPLE = path.join(ROOT, 'examples', 'replay-across-nodes', 'replay-jobs.yaml');
const POLICIES = path.join(ROOT, 'test', 'fixtures', 'hubble', 'homelab-policies.yaml');

const docs = parseAllDocuments(fs.readFileSync(EXAMPLE, 'utf8')).map((d) => d.toJS());
const partsJob = docs.find((d) => d.kind === 'Job');
const mergeJob = docs.find((d) => d.kind === 'CronJob');
const partScript: string = partsJob.spec.template.spec.containers[0].args[0];
const mergeScript: string = mergeJob.spec.jobTemplate.spec.template.spec.containers[0].args[0];

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'replay-nodes-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
const bin = path.join(tmp, 'bin');
fs.mkdirSync(bin);
fs.writeFileSync(
  path.join(bin, 'cilium-lockdown'),
  `#!/bin/sh\nexec "${process.execPath}" "${path.join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs')}" "${path.join(ROOT, 'lib', 'cli', 'main.ts')}" "$@"\n`,
  { mode: 0o755 },
);
const policiesDir = path.join(tmp, 'policies');
fs.mkdirSync(policiesDir);
fs.copyFileSync(POLICIES, path.join(policiesDir, 'policies.yaml'));

function sh(script: string, env: Record<string, string>) {
  return spawnSync('sh', ['-c', script], {
    env: {
      ...process.env,
      PATH: `${bin}:${process.env.PATH}`,
      CDK8S_CHECK_UPGRADE: 'false',
      POLICIES_DIR: policiesDir,
      ...env,
    },
    encoding: 'utf8',
  });
}

describe('examples/replay-across-nodes', () => {
  it("is an Indexed Job, one pod per node, reading the node's exporter files from the host", () => {
    expect(partsJob.spec.completionMode).toBe('Indexed');
    expect(
      partsJob.spec.template.spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0]
        .topologyKey,
    ).toBe('kubernetes.io/hostname');
    expect(partsJob.spec.template.spec.volumes.find((v: any) => v.name === 'hubble').hostPath.path).toBe(
      '/var/run/cilium/hubble',
    );
  });

  it('saves a part per exporter file on each node; the merge equals one rollout over all the files, and refuses a missing node', () => {
    const lines = [...syntheticExport(1500, 8)];
    const files: Record<string, Record<string, Buffer | string>> = {
      'k3s-1': {
        'events-2026-07-01T10-00-00.000.log.gz': zlib.gzipSync(`${lines.slice(0, 400).join('\n')}\n`),
        'events.log': `${lines.slice(400, 900).join('\n')}\n`,
      },
      'k3s-2': { 'events.log': `${lines.slice(900).join('\n')}\n` },
    };
    const parts = path.join(tmp, 'parts');
    fs.mkdirSync(parts);
    for (const [node, byName] of Object.entries(files)) {
      const dir = path.join(tmp, 'hubble', node);
      fs.mkdirSync(dir, { recursive: true });
      for (const [name, content] of Object.entries(byName)) fs.writeFileSync(path.join(dir, name), content);
      const run = sh(partScript, { NODE_NAME: node, HUBBLE_DIR: dir, PARTS_DIR: parts });
      expect(run.stderr).toBe('');
      expect(run.status).toBe(0);
    }
    expect(fs.readdirSync(parts).filter((f) => f.endsWith('.groups.json.gz'))).toHaveLength(3);

    const merged = sh(mergeScript, { PARTS_DIR: parts, EXPECTED_NODES: '2' });
    const whole = path.join(tmp, 'whole.jsonl');
    fs.writeFileSync(whole, `${lines.join('\n')}\n`);
    const single = sh(
      `cilium-lockdown rollout --policies "$POLICIES_DIR" --flows "${whole}" --format markdown`,
      {},
    );
    expect(merged.status).toBe(single.status);
    expect(merged.status).toBe(1);
    expect(merged.stdout).toMatch(/Not ready to set .policyAuditMode: false./);
    const withoutInput = (text: string) =>
      text.replace(/Checked: (.*?); \S+(?: \+ \S+)*: /, 'Checked: $1; <input>: ');
    expect(withoutInput(merged.stdout)).toBe(withoutInput(single.stdout));

    const missing = sh(mergeScript, { PARTS_DIR: parts, EXPECTED_NODES: '3' });
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/parts from 2 of 3 nodes/);
  });
});
