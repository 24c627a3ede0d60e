import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { CiliumHelmValues, HubbleMetric, LockdownApp, PolicyEnforcementMode } from '../../lib/helm';
import { buildCiliumHelmValuesExample } from '../../examples/cilium-helm-values/main';

let outdir: string;
beforeEach(() => {
  outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'lockdown-app-'));
});
afterEach(() => {
  fs.rmSync(outdir, { recursive: true, force: true });
});

function filesBelow(dir: string): string[] {
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)))
    .sort();
}

function homelab(dir: string, valuesFile?: string): LockdownApp {
  const app = new LockdownApp({ outdir: dir });
  const chart = new Chart(app, 'homelab');
  new kplus.ConfigMap(chart, 'settings', { data: { mode: 'audit' } });
  new CiliumHelmValues(chart, 'cilium', {
    valuesFile,
    policyAuditMode: true,
    hubble: {
      relay: { enabled: true },
      metrics: { enabled: [HubbleMetric.dns({ query: true }), HubbleMetric.drop()] },
    },
  });
  return app;
}

describe('LockdownApp', () => {
  test('synth writes the manifests and outdir/cilium/values.yaml; no manifest holds the values', () => {
    homelab(outdir).synth();
    expect(filesBelow(outdir)).toEqual(['cilium/values.yaml', 'homelab.k8s.yaml']);
    const valuesText = fs.readFileSync(path.join(outdir, 'cilium', 'values.yaml'), 'utf8');
    expect(valuesText).toContain('policyAuditMode: true');
    expect(valuesText).toContain('- dns:query');
    const manifests = fs.readFileSync(path.join(outdir, 'homelab.k8s.yaml'), 'utf8');
    expect(manifests).toContain('kind: ConfigMap');
    expect(manifests).not.toMatch(/hubble|policyAuditMode|dns:query/);
  });

  test('valuesFile is relative to outdir', () => {
    homelab(outdir, 'helm/cilium-values.yaml').synth();
    expect(filesBelow(outdir)).toEqual(['helm/cilium-values.yaml', 'homelab.k8s.yaml']);
  });

  test('same bytes on every synth', () => {
    homelab(outdir).synth();
    const first = fs.readFileSync(path.join(outdir, 'cilium', 'values.yaml'));
    homelab(outdir).synth();
    expect(fs.readFileSync(path.join(outdir, 'cilium', 'values.yaml')).equals(first)).toBe(true);
  });

  test('invalid values write nothing at all, and an existing values file is left untouched', () => {
    const app = homelab(outdir);
    const values = CiliumHelmValues.findAll(app)[0];
    values.addOverride('hubble.relay.enabeld', true);
    expect(() => app.synth()).toThrow(
      /\[homelab\/cilium\] Cilium Helm values: `hubble\.relay\.enabeld` = true.*did you mean `hubble\.relay\.enabled`\?/,
    );
    expect(filesBelow(outdir)).toEqual([]);

    homelab(outdir).synth();
    const good = fs.readFileSync(path.join(outdir, 'cilium', 'values.yaml'), 'utf8');
    expect(() => app.synth()).toThrow(/enabeld/);
    expect(fs.readFileSync(path.join(outdir, 'cilium', 'values.yaml'), 'utf8')).toBe(good);
    expect(filesBelow(outdir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  test('writes every CiliumHelmValues in the tree, including ones directly under the app', () => {
    const app = new LockdownApp({ outdir });
    new CiliumHelmValues(app, 'prod', {
      valuesFile: 'prod/values.yaml',
      policyEnforcementMode: PolicyEnforcementMode.ALWAYS,
    });
    new CiliumHelmValues(new Chart(app, 'lab'), 'lab', {
      valuesFile: 'lab/values.yaml',
      policyAuditMode: true,
    });
    app.synth();
    expect(fs.readFileSync(path.join(outdir, 'prod', 'values.yaml'), 'utf8')).toContain(
      'policyEnforcementMode: always',
    );
    expect(fs.readFileSync(path.join(outdir, 'lab', 'values.yaml'), 'utf8')).toContain(
      'policyAuditMode: true',
    );
  });

  test('a plain App user can call writeFile()', () => {
    const app = new App({ outdir });
    const values = new CiliumHelmValues(new Chart(app, 'c'), 'cilium', { policyAuditMode: true });
    app.synth();
    expect(values.writeFile()).toBe(path.join(outdir, 'cilium', 'values.yaml'));
    expect(fs.readFileSync(path.join(outdir, 'cilium', 'values.yaml'), 'utf8')).toBe(values.toYaml());
    expect(filesBelow(outdir)).toEqual(['c.k8s.yaml', 'cilium/values.yaml']);
  });
});

describe('examples/cilium-helm-values', () => {
  test('renders the minimal rollout values', () => {
    const app = buildCiliumHelmValuesExample('dist');
    expect(CiliumHelmValues.findAll(app).map((v) => v.toYaml())).toMatchSnapshot();
  });

  test('synthesizes into its outdir', () => {
    buildCiliumHelmValuesExample(outdir).synth();
    expect(filesBelow(outdir)).toEqual(['cilium/values.yaml']);
  });
});
