import * as fs from 'fs';
import * as path from 'path';
import { App, Chart } from 'cdk8s';
import * as ts from 'typescript';
import { suggestCommand } from '../../lib/cli/suggest-command';
import { EndpointSelector, Fqdn, Port } from '../../lib/policy';
import { FqdnEgress, IngressController, IngressOnlyApp } from '../../lib/patterns';
import { ReplayInputError } from '../../lib/replay/replay-input-error';
import { runReplay } from '../../lib/replay/run';
import { fileName } from '../../lib/suggest/render-yaml';
import { suggest } from '../../lib/suggest/suggest';
import { flowJson, HOMELAB, observeLine, pod } from './hubble-builder';
import { tempFlows } from './temp-flows';

const at = (s: number) => new Date(Date.parse('2026-07-01T10:00:00Z') + s * 1000).toISOString();
const NODE = 'default/k3s-1';
const { dir: tmpDir, flowsFile } = tempFlows('suggest-edits-');

interface Extra {
  blogIngress?: unknown[];
  argocdEgress?: unknown[];
}

/** The app under review: an IngressOnlyApp for blog and an FqdnEgress for ArgoCD's repo server, synthesized with construct metadata. */
function synthApp(outdir: string, extra: Extra = {}): void {
  const app = new App({ outdir, recordConstructMetadata: true });
  const chart = new Chart(app, 'policies');
  new IngressOnlyApp(chart, 'blog', {
    namespace: 'blog',
    policyName: 'blog-policy',
    pods: EndpointSelector.labels({ app: 'blog' }),
    ports: [Port.tcp(80)],
    ingressController: IngressController.traefik({ namespace: 'traefik', instance: 'traefik-traefik' }),
    additionalIngress: extra.blogIngress as any,
  });
  new FqdnEgress(chart, 'argocd', {
    namespace: 'argocd',
    policyName: 'argocd-egress',
    pods: EndpointSelector.labels({ 'app.kubernetes.io/name': 'argocd-repo-server' }),
    fqdns: [Fqdn.name('api.github.com')],
    additionalEgress: extra.argocdEgress as any,
  });
  app.synth();
}

/** Evaluates the generated module and returns its exported constants. */
function moduleExports(source: string): Record<string, any> {
  const js = ts.transpileModule(source, {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 },
  }).outputText;
  const lib = { ...require('../../lib/policy'), ...require('../../lib/patterns') };
  const exports: Record<string, any> = {};
  new Function('require', 'exports', js)(
    (id: string) => (id === 'cdk8s-cilium-lockdown' ? lib : require(id)),
    exports,
  );
  return exports;
}

describe('suggestions as edits of the constructs that made the policies', () => {
  const lines = () => [
    observeLine({
      src: HOMELAB.prometheus,
      dst: HOMELAB.blog,
      dport: 9100,
      verdict: 'AUDIT',
      time: at(0),
      node: NODE,
    }),
    observeLine({
      src: HOMELAB.reports,
      dst: HOMELAB.blog,
      dport: 80,
      verdict: 'AUDIT',
      time: at(1),
      node: NODE,
    }),
    observeLine({
      src: HOMELAB.argocdRepo,
      dst: HOMELAB.githubApex,
      dport: 443,
      destinationNames: ['github.com'],
      direction: 'EGRESS',
      verdict: 'AUDIT',
      time: at(2),
      node: NODE,
    }),
  ];

  test('additionalIngress on the IngressOnlyApp and additionalEgress on the FqdnEgress, at their paths; applying them passes the replay', async () => {
    const dist = path.join(tmpDir(), 'dist');
    synthApp(dist);
    expect(fs.existsSync(path.join(dist, 'construct-metadata.json'))).toBe(true);
    const flows = flowsFile(lines());
    const o = await suggest({ policies: [dist], flows });
    expect(o.unfixable).toEqual([]);
    expect(o.verification.verified).toBe(true);
    expect(o.policies.map((p) => [p.name, p.target])).toEqual([
      [
        'argocd-egress',
        {
          construct: 'FqdnEgress',
          path: 'policies/argocd',
          edit: 'additionalEgress',
          policy: { kind: 'CiliumNetworkPolicy', namespace: 'argocd', name: 'argocd-egress', path: 'spec' },
        },
      ],
      [
        'blog-policy',
        {
          construct: 'IngressOnlyApp',
          path: 'policies/blog',
          edit: 'additionalIngress',
          policy: { kind: 'CiliumNetworkPolicy', namespace: 'blog', name: 'blog-policy', path: 'spec' },
        },
      ],
    ]);
    // one change for blog with both of its dropped groups
    expect(o.policies[1].rules.map((r) => r.peerName)).toEqual(['monitoring-prometheus', 'reports']);
    expect(o.typescript).toContain(
      'CiliumNetworkPolicy blog/blog-policy comes from the IngressOnlyApp at `policies/blog`: add these to its `additionalIngress` prop.',
    );
    expect(o.typescript).toContain('export const blogPolicyIngress: IngressRule[] = [');
    expect(o.typescript).toContain('export const argocdEgressEgress: EgressRule[] = [');
    expect(o.typescript).not.toContain('addSuggestedPolicies');
    // the reviewer applies the edit: the app synthesized with the suggested rules drops nothing
    const exported = moduleExports(o.typescript);
    const fixed = path.join(tmpDir(), 'fixed');
    synthApp(fixed, { blogIngress: exported.blogPolicyIngress, argocdEgress: exported.argocdEgressEgress });
    const after = await runReplay({ policies: [fixed], flows });
    expect(after.result.summary.wouldDrop).toBe(0);
    // The capture was taken before the fix: Hubble audited these flows, the fixed policies forward
    // them. The gate stays shut until a capture of the fixed policies (in audit mode) agrees.
    expect(after.gate.blockers.map((b) => b.kind)).toEqual(['disagreement', 'disagreement', 'disagreement']);
  });

  test('without construct metadata: new policies, one per subject', async () => {
    const dist = path.join(tmpDir(), 'plain');
    synthApp(dist);
    fs.rmSync(path.join(dist, 'construct-metadata.json'));
    const o = await suggest({ policies: [dist], flows: flowsFile(lines()) });
    expect(o.policies.map((p) => [p.name, p.target])).toEqual([
      ['argocd-repo-server-allow-to-github-com', undefined],
      ['blog-allow-observed', undefined],
    ]);
    expect(o.verification.verified).toBe(true);
  });
});

describe('safe outputs', () => {
  const POLICIES = path.join(__dirname, '..', 'fixtures', 'hubble', 'homelab-policies.yaml');
  const quiet = async (fn: () => Promise<number>) => {
    const spy = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      return await fn();
    } finally {
      spy.mockRestore();
    }
  };

  test('a namespace like ../../x in a flow is never written anywhere: nothing is suggested from it', async () => {
    const evil = pod('../../x', 'p', '10.9.0.1', 99, { app: 'blog' });
    const flows = flowsFile([
      observeLine({ src: HOMELAB.prometheus, dst: evil, dport: 9100, time: at(0), node: NODE }),
    ]);
    const out = path.join(tmpDir(), 'out-evil');
    const o = await suggest({ policies: [POLICIES], flows });
    expect(o.policies).toEqual([]);
    expect(o.unfixable[0].reason).toMatch(
      /^nothing is suggested from this flow: namespace "..\/..\/x" is not a Kubernetes namespace name/,
    );
    expect(
      await quiet(() => suggestCommand({ policies: [POLICIES], flows, format: 'text', outputDir: out })),
    ).toBe(1);
    expect(fs.readdirSync(out)).toEqual([]);
    expect(fs.existsSync(path.join(tmpDir(), 'x'))).toBe(false);
  });

  test('file names keep to a-z0-9.- and cannot start with a dot', () => {
    const p = {
      name: '../Evil/../name',
      subject: { clusterwide: false, namespace: '..', matchLabels: {}, name: 'x' },
    } as any;
    expect(fileName(p)).toBe('evil-..-name.yaml');
  });

  test('labels that are not Kubernetes labels (HTML, quotes, line breaks) are never turned into a policy', async () => {
    const evil = pod('blog', 'p', '10.9.0.2', 98, { app: "blog'\n<script>" });
    const flows = flowsFile([
      observeLine({ src: evil, dst: HOMELAB.blog, dport: 9100, time: at(0), node: NODE }),
    ]);
    const o = await suggest({ policies: [POLICIES], flows });
    expect(o.policies).toEqual([]);
    expect(o.unfixable[0].reason).toContain('is not a Kubernetes label value');
    expect(o.typescript).not.toContain('script');
  });

  test('a malformed line is never suggested from, and the export then cannot vouch for the result (exit 2)', async () => {
    const flow = JSON.parse(
      JSON.stringify(
        flowJson({ src: HOMELAB.prometheus, dst: HOMELAB.blog, dport: 9100, time: at(0), node: NODE }),
      ),
    );
    flow.l4.TCP.destination_port = { port: 9100 };
    const flows = flowsFile([
      JSON.stringify({ flow }),
      observeLine({ src: HOMELAB.traefik, dst: HOMELAB.blog, dport: 80, time: at(1), node: NODE }),
    ]);
    const o = await suggest({ policies: [POLICIES], flows });
    expect(o.policies).toEqual([]);
    expect(o.before.result.summary.malformed).toBe(1);
    expect(await quiet(() => suggestCommand({ policies: [POLICIES], flows, format: 'text' }))).toBe(2);
  });

  test('an --output-dir that is a file or not writable: exit 2 before any replay', async () => {
    const file = path.join(tmpDir(), 'a-file');
    fs.writeFileSync(file, 'x');
    const flows = path.join(tmpDir(), 'does-not-exist.jsonl');
    // the flows file is missing too: the output dir is checked first
    await expect(
      suggestCommand({ policies: [POLICIES], flows, format: 'text', outputDir: file }),
    ).rejects.toThrow(ReplayInputError);
    await expect(
      suggestCommand({ policies: [POLICIES], flows, format: 'text', outputDir: file }),
    ).rejects.toThrow(/--output-dir .*a-file: (not a directory|cannot create)/);
    if (process.getuid?.() !== 0) {
      const ro = path.join(tmpDir(), 'read-only');
      fs.mkdirSync(ro, { mode: 0o500 });
      await expect(
        suggestCommand({ policies: [POLICIES], flows, format: 'text', outputDir: ro }),
      ).rejects.toThrow(/not writable/);
    }
  });
});
