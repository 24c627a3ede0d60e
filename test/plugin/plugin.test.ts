import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CiliumLockdownValidation, ValidationContextLike } from '../../lib/plugin';
import { describeInFullSuite } from '../support/suite';

const ROOT = path.join(__dirname, '..', '..');
const APP = path.join(__dirname, 'fixture-app');

interface Recorded {
  violations: Array<{
    ruleName: string;
    recommendation: string;
    fix: string;
    violatingResources: Array<{ resourceName: string; locations: readonly string[]; manifestPath: string }>;
  }>;
  status?: string;
  metadata?: Record<string, string>;
}

function fakeContext(manifests: string[]): { context: ValidationContextLike; recorded: Recorded } {
  const recorded: Recorded = { violations: [] };
  const context: ValidationContextLike = {
    manifests,
    report: {
      addViolation: (v) => recorded.violations.push({ ...v, violatingResources: [...v.violatingResources] }),
      submit: (status, metadata) => {
        recorded.status = status;
        recorded.metadata = metadata as Record<string, string>;
      },
    },
    logger: { log: () => undefined },
  };
  return { context, recorded };
}

describe('CiliumLockdownValidation (in process)', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'plugin-'));
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('reports every finding as a violation and fails on errors', async () => {
    const { context, recorded } = fakeContext([path.join(APP, 'manifests', 'default-deny-without-dns.yaml')]);
    await new CiliumLockdownValidation().validate(context);
    expect(recorded.status).toBe('failure');
    expect(recorded.violations.map((v) => v.ruleName)).toEqual([
      'ccnp-wildcard-without-health (warning)',
      'ccnp-default-deny-without-dns (error)',
    ]);
    expect(recorded.violations[1].violatingResources).toEqual([
      {
        resourceName: 'default-deny-egress',
        locations: ['spec.egress'],
        manifestPath: path.join(APP, 'manifests', 'default-deny-without-dns.yaml'),
      },
    ]);
    expect(recorded.metadata).toEqual({ errors: '1', warnings: '1', policies: '1' });
  });

  it('passes with warnings only, unless failOn is warning', async () => {
    const { context, recorded } = fakeContext([path.join(APP, 'manifests', 'default-deny-with-dns.yaml')]);
    await new CiliumLockdownValidation().validate(context);
    expect(recorded.status).toBe('success');
    expect(recorded.violations.map((v) => v.ruleName)).toEqual(['ccnp-wildcard-without-health (warning)']);
    const strict = fakeContext([path.join(APP, 'manifests', 'default-deny-with-dns.yaml')]);
    await new CiliumLockdownValidation({ failOn: 'warning' }).validate(strict.context);
    expect(strict.recorded.status).toBe('failure');
    expect(() => new CiliumLockdownValidation({ failOn: 'fatal' as never })).toThrow(/failOn/);
  });

  it('fails with a clear violation on unparseable output', async () => {
    const broken = path.join(tmp, 'broken.yaml');
    fs.writeFileSync(broken, 'apiVersion: v1\nkind: [\n');
    const { context, recorded } = fakeContext([broken]);
    await new CiliumLockdownValidation().validate(context);
    expect(recorded.status).toBe('failure');
    expect(recorded.violations[0].ruleName).toBe('unreadable-manifest');
    expect(recorded.violations[0].recommendation).toContain(`${broken}:`);
  });
});

// compiles the plugin with tsc and runs cdk8s-cli twice: `npm run test:slow` only
describeInFullSuite('cdk8s synth with the validation plugin (real cdk8s-cli)', () => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'plugin-synth-'));
  afterAll(() => fs.rmSync(out, { recursive: true, force: true }));

  beforeAll(() => {
    // what `npm run build` does for the plugin and its imports (cdk8s.yaml loads ./build/lib/plugin)
    execFileSync(
      process.execPath,
      [require.resolve('typescript/bin/tsc'), '-p', path.join(__dirname, 'tsconfig.plugin.json')],
      { cwd: ROOT, stdio: 'pipe' },
    );
  }, 180_000);

  function synth(app: string, name: string): { status: number | null; stdout: string; report?: any } {
    const reportFile = path.join(out, `${name}-report.json`);
    const r = spawnSync(
      'npx',
      [
        'cdk8s',
        'synth',
        '--check-upgrade=false',
        '--app',
        `npx tsx ${app}`,
        '--output',
        path.join(out, name),
        '--validation-reports-output-file',
        reportFile,
      ],
      {
        cwd: APP,
        encoding: 'utf8',
        env: { ...process.env, CDK8S_CHECK_UPGRADE: 'false' },
      },
    );
    return {
      status: r.status,
      stdout: r.stdout + r.stderr,
      report: fs.existsSync(reportFile) ? JSON.parse(fs.readFileSync(reportFile, 'utf8')) : undefined,
    };
  }

  it('fails the synth of an app with a hand-written ApiObject CNP and an Include-d CCNP, with the plugin report', () => {
    const r = synth('bad-app.ts', 'bad');
    expect(r.status).toBe(2);
    expect(r.stdout).toContain('Validation failed');
    expect(r.stdout).toContain('fqdn-without-dns-proxy (error)');
    const [report] = r.report.reports;
    expect(report.summary.status).toBe('failure');
    const byRule = Object.fromEntries(report.violations.map((v: any) => [v.ruleName, v]));
    expect(byRule['fqdn-without-dns-proxy (error)'].violatingConstructs[0]).toMatchObject({
      constructPath: 'argocd/repo-server-egress',
      resourceName: 'repo-server-egress',
      locations: ['spec.egress[1].toFQDNs'],
    });
    expect(byRule['fqdn-without-dns-proxy (error)'].fix).toContain('rules: {dns: [{matchPattern: "*"}]}');
    expect(byRule['ccnp-default-deny-without-dns (error)'].violatingConstructs[0]).toMatchObject({
      constructPath: 'argocd/cluster-default-deny/default-deny-egress-ciliumclusterwidenetworkpolicy',
      resourceName: 'default-deny-egress',
      locations: ['spec.egress'],
    });
  }, 120_000);

  it('passes the synth of the clean app', () => {
    const r = synth('clean-app.ts', 'clean');
    expect(r.stdout).toContain('Validations ended succesfully');
    expect(r.status).toBe(0);
    expect(r.report.reports[0].summary.status).toBe('success');
    expect(r.report.reports[0].violations.map((v: any) => v.ruleName)).not.toContainEqual(
      expect.stringMatching(/\(error\)$/),
    );
  }, 120_000);
});
