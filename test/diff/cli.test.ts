import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { DiffCommandOptions, renderDiff } from '../../lib/cli/diff-command';
import { KubeManifest } from '../../lib/manifest/types';
import { cnp, deployment, multiDoc, POSTGRES_POLICY, tcp, WEBAPP_EGRESS, WORKLOADS } from './helpers';

const ROOT = path.join(__dirname, '..', '..');

function cli(cwd: string, ...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(
    process.execPath,
    [require.resolve('tsx/cli'), path.join(ROOT, 'lib', 'cli', 'main.ts'), 'diff', ...args],
    { cwd, encoding: 'utf8' },
  );
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function options(extra: Partial<DiffCommandOptions>): DiffCommandOptions {
  return {
    base: ['base'],
    head: ['head'],
    format: 'text',
    enforcement: 'default',
    allowLocalhost: 'always',
    clusterName: 'default',
    ...extra,
  };
}

describe('cilium-lockdown diff', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'diff-cli-'));
  const write = (rel: string, manifests: readonly KubeManifest[] | string) => {
    const file = path.join(tmp, rel);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, typeof manifests === 'string' ? manifests : multiDoc(manifests));
  };
  const inTmp = <T>(fn: () => T): T => {
    const cwd = process.cwd();
    process.chdir(tmp);
    try {
      return fn();
    } finally {
      process.chdir(cwd);
    }
  };
  beforeAll(() => {
    write('base/workloads.yaml', WORKLOADS);
    write('base/policies.yaml', [POSTGRES_POLICY, WEBAPP_EGRESS]);
    write('same/workloads.yaml', WORKLOADS);
    write('same/policies.yaml', [POSTGRES_POLICY, WEBAPP_EGRESS]);
    write('head/workloads.yaml', WORKLOADS);
    write('head/policies.yaml', [WEBAPP_EGRESS]);
    write(
      'broken/policies.yaml',
      'apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata:\n  name: x\n  namespace: a\nspec: [unclosed\n',
    );
    write('refused/policies.yaml', [
      cnp('webapp', 'refused', {
        endpointSelector: { matchLabels: { app: 'postgres' } },
        ingress: [{ fromEntities: ['everything'] }],
      }),
    ]);
    write('twice/a.yaml', [POSTGRES_POLICY]);
    write('twice/b.yaml', [
      { ...POSTGRES_POLICY, spec: { ...POSTGRES_POLICY.spec, ingress: [{ toPorts: tcp(1) }] } },
    ]);
    write('badworkload/w.yaml', [
      {
        ...deployment('webapp', 'bad'),
        spec: { template: { spec: { containers: [{ name: 'x', ports: [{ containerPort: 'http' }] }] } } },
      },
    ]);
  });
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  test('exit 0 on identical inputs, 1 when connectivity changed, 2 on unusable input', () => {
    expect(cli(tmp, '--base', 'base', '--head', 'same')).toMatchObject({ status: 0, stderr: '' });
    const changed = cli(tmp, '--base', 'base', '--head', 'head', '--format', 'markdown');
    expect(changed.status).toBe(1);
    expect(changed.stdout).toMatch(
      /^### Connectivity diff: 4 newly allowed, 0 newly denied, 0 now undecided\n/,
    );
    const broken = cli(tmp, '--base', 'base', '--head', 'broken');
    expect(broken.status).toBe(2);
    expect(broken.stderr).toMatch(/^cilium-lockdown: broken\/policies\.yaml:\d+: YAML syntax error/);
    expect(broken.stdout).toBe('');
    expect(cli(tmp, '--base', 'base', '--head', 'missing')).toMatchObject({
      status: 2,
      stderr: expect.stringContaining('missing: cannot read: ENOENT'),
    });
    expect(cli(tmp, '--base', 'base', '--head', 'head', '--format', 'yaml').status).toBe(2);
    expect(cli(tmp, '--base', 'base', '--head', 'head', '--max-rows', '0').status).toBe(2);
    expect(() => inTmp(() => renderDiff(options({ ports: '80/TCP,,' })))).toThrow(/^--ports: bad port list/);
  });

  test('a head policy the evaluator cannot read is unusable input; on the base side a warning', () => {
    expect(() => inTmp(() => renderDiff(options({ head: ['base', 'refused'] })))).toThrow(
      /^head: the evaluator cannot read a policy \(Cilium refuses them too\), so the diff would not show their effect:\n {2}CiliumNetworkPolicy webapp\/refused \(refused\/policies\.yaml:1\) spec\.ingress\[0\]\.fromEntities\[0\]: .*policy skipped$/,
    );
    const { text, code } = inTmp(() => renderDiff(options({ base: ['base', 'refused'], head: ['base'] })));
    expect(code).toBe(0);
    expect(text).toMatch(
      /\nWarnings \(base, 1\):\n {2}CiliumNetworkPolicy webapp\/refused \(refused\/policies\.yaml:1\)/,
    );
  });

  test('a policy defined twice with different content on one side is refused, naming both places', () => {
    expect(() => inTmp(() => renderDiff(options({ head: ['head', 'twice'] })))).toThrow(
      'head: CiliumNetworkPolicy webapp/postgres is defined twice with different content (twice/a.yaml:1, twice/b.yaml:1); ' +
        'which one applies would depend on the file order: remove one',
    );
    // The same directory given twice is the same manifests.
    expect(inTmp(() => renderDiff(options({ head: ['base', 'base'] }))).code).toBe(0);
  });

  test('--ports evaluates the same ports everywhere', () => {
    const { text, code } = inTmp(() => renderDiff(options({ ports: '5432/TCP,443/TCP', format: 'json' })));
    expect(code).toBe(1);
    const flows = JSON.parse(text).pairs.flatMap((p: { flows: Array<{ port: number }> }) =>
      p.flows.map((f) => f.port),
    );
    // Removing postgres's policy opens it on every port, 443 included.
    expect(new Set(flows)).toEqual(new Set([443, 5432]));
  });

  test('a malformed workload is unusable input with its file and line', () => {
    expect(() => inTmp(() => renderDiff(options({ head: ['head', 'badworkload'] })))).toThrow(
      /^badworkload\/w\.yaml:1 \(Deployment webapp\/bad\): spec\.template\.spec\.containers\[0\]\.ports\[0\]\.containerPort "http" must be a port number 1-65535$/,
    );
  });

  test('--workloads are on both sides; --output writes the report', () => {
    write('policies-only/base.yaml', [POSTGRES_POLICY, WEBAPP_EGRESS]);
    write('policies-only/head.yaml', [WEBAPP_EGRESS]);
    const { text, code } = inTmp(() =>
      renderDiff(
        options({
          base: ['policies-only/base.yaml'],
          head: ['policies-only/head.yaml'],
          workloads: ['base/workloads.yaml'],
          format: 'json',
        }),
      ),
    );
    expect(code).toBe(1);
    const json = JSON.parse(text);
    expect(Object.keys(json)).toEqual(['changed', 'summary', 'pairs', 'policies', 'workloads', 'warnings']);
    expect(json.summary).toMatchObject({
      allowed: 4,
      denied: 0,
      undecided: 0,
      rules: 1,
      rulesListed: false,
      policies: { base: 2, head: 1, added: 0, removed: 1, changed: 0 },
    });
    expect(json.pairs[0]).toEqual({
      from: 'blog/blog',
      to: 'webapp/postgres',
      flows: [
        {
          port: 5432,
          protocol: 'TCP',
          change: 'allowed',
          base: {
            verdict: 'DROPPED',
            egress: 'NOT_ENFORCED',
            ingress: 'DEFAULT_DENY',
            policyInvolved: true,
            rules: ['CiliumNetworkPolicy webapp/postgres spec.ingress'],
          },
          head: {
            verdict: 'FORWARDED',
            egress: 'NOT_ENFORCED',
            ingress: 'NOT_ENFORCED',
            policyInvolved: false,
            rules: [],
          },
        },
      ],
    });
    expect(json.policies).toEqual([
      {
        change: 'removed',
        kind: 'CiliumNetworkPolicy',
        namespace: 'webapp',
        name: 'postgres',
        base: 'policies-only/base.yaml:1',
        head: null,
      },
    ]);
    const out = path.join(tmp, 'report.md');
    const r = cli(tmp, '--base', 'base', '--head', 'head', '--format', 'markdown', '--output', out);
    expect(r).toMatchObject({ status: 1, stdout: '' });
    expect(fs.readFileSync(out, 'utf8')).toMatch(/^### Connectivity diff/);
  });
});
