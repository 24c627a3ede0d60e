import * as fs from 'fs';
import * as path from 'path';
import { Chart, Testing } from 'cdk8s';
import * as ts from 'typescript';
import { suggestCommand } from '../../lib/cli/suggest-command';
import { loadManifests } from '../../lib/manifest/load';
import { SourcedManifest } from '../../lib/manifest/types';
import { runReplay } from '../../lib/replay/run';
import { suggest } from '../../lib/suggest/suggest';
import { HOMELAB, observeLine } from './hubble-builder';
import { tempFlows } from './temp-flows';

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'hubble');
const POLICIES = path.join(FIXTURES, 'homelab-policies.yaml');
const AUDIT = path.join(FIXTURES, 'homelab-audit.jsonl');
const { dir: tmpDir, flowsFile } = tempFlows('suggest-');

const at = (s: number) => new Date(Date.parse('2026-07-01T10:00:00Z') + s * 1000).toISOString();

/** Runs the generated TypeScript module against the library and returns the synthesized manifests. */
function synthTypeScript(source: string): SourcedManifest[] {
  const js = ts.transpileModule(source, {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 },
  }).outputText;
  const lib = { ...require('../../lib/policy'), ...require('../../lib/patterns') };
  const exports: Record<string, any> = {};
  const requireShim = (id: string) => (id === 'cdk8s-cilium-lockdown' ? lib : require(id));
  new Function('require', 'exports', js)(requireShim, exports);
  const chart = new Chart(Testing.app(), 'suggested');
  exports.addSuggestedPolicies(chart);
  return Testing.synth(chart).map((manifest) => ({ manifest, file: '<typescript>' }));
}

describe('suggest on the homelab capture', () => {
  let outcome: Awaited<ReturnType<typeof suggest>>;
  beforeAll(async () => {
    outcome = await suggest({ policies: [POLICIES], flows: AUDIT });
  });

  test('one least-privilege change per subject, all its groups merged, verified by replay', () => {
    expect(outcome.verification).toMatchObject({ verified: true, remaining: [] });
    expect(outcome.unfixable).toEqual([]);
    expect(outcome.policies.map((p) => `${p.subject.namespace ?? '(cluster)'}/${p.name}`)).toEqual([
      '(cluster)/health-allow-from-remote-node',
      'argocd/argocd-repo-server-allow-to-github-com',
      'blog/blog-allow-from-monitoring-prometheus',
      'webapp/webapp-allow-observed',
    ]);
    const webapp = outcome.policies[3];
    expect(webapp.rules.map((r) => [r.direction, r.peerName, r.ports.map((x) => x.port)])).toEqual([
      ['ingress', 'monitoring-prometheus', [3000]],
      ['ingress', 'reports', [3000]],
    ]);
    expect(webapp.groups).toHaveLength(2);
  });

  test('Prometheus scraping blog: a namespace-qualified endpoint selector on the exact port', () => {
    const yaml = outcome.yaml.find((y) => y.file === 'blog-blog-allow-from-monitoring-prometheus.yaml')!.text;
    expect(yaml).toContain(
      [
        '  endpointSelector:',
        '    matchLabels:',
        '      app: blog',
        '  ingress:',
        '    - fromEndpoints:',
        '        - matchLabels:',
        '            k8s:io.kubernetes.pod.namespace: monitoring',
        '            app: prometheus',
        '      toPorts:',
        '        - ports:',
        '            - port: "9100"',
        '              protocol: TCP',
      ].join('\n'),
    );
  });

  test('ArgoCD to the github.com apex: toFQDNs matchName plus the DNS rule to kube-dns', () => {
    const p = outcome.policies.find((x) => x.name === 'argocd-repo-server-allow-to-github-com')!;
    expect(p.rules[0].peer).toEqual({ kind: 'fqdn', names: ['github.com'] });
    // the DNS server is the one the capture shows ArgoCD querying
    expect(p.dnsServer).toEqual({
      matchLabels: { 'k8s:io.kubernetes.pod.namespace': 'kube-system', 'k8s:k8s-app': 'kube-dns' },
      port: 53,
    });
    const yaml = outcome.yaml.find((y) => y.file.includes('github'))!.text;
    expect(yaml).toMatch(/rules:\n\s+dns:\n\s+- matchPattern: "\*"/);
    expect(yaml).toMatch(
      /toFQDNs:\n\s+- matchName: github.com\n\s+toPorts:\n\s+- ports:\n\s+- port: "443"\n\s+protocol: TCP/,
    );
    expect(yaml).not.toContain('world');
  });

  test('cilium-health: a CCNP selecting reserved:health, TCP 4240 and ICMP echo merged in one policy', () => {
    const p = outcome.policies[0];
    expect(p.subject).toEqual({ clusterwide: true, matchLabels: { 'reserved:health': '' }, name: 'health' });
    expect(p.rules[0].ports).toEqual([{ protocol: 'TCP', port: 4240 }]);
    expect(p.rules[0].icmps).toEqual([{ family: 'IPv4', type: 8 }]);
    expect(p.groups).toHaveLength(2);
  });

  test('the YAML files from --output-dir make the replay pass (exit 0)', async () => {
    const dir = path.join(tmpDir(), 'out');
    const stdout = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    let code: number;
    try {
      code = await suggestCommand({
        policies: [POLICIES],
        flows: AUDIT,
        format: 'text',
        outputDir: dir,
        allowLostEvents: true,
      });
    } finally {
      stdout.mockRestore();
    }
    expect(code).toBe(0);
    expect(fs.readdirSync(dir)).toHaveLength(4);
    const after = await runReplay({ policies: [POLICIES, dir], flows: AUDIT });
    expect(after.result.summary.wouldDrop).toBe(0);
  });

  test('the TypeScript synthesizes, with the library constructs, to policies that also make the replay pass', async () => {
    expect(outcome.typescript).toContain(
      "import { CiliumPolicy, EndpointSelector, Entity, Fqdn, FqdnEgress, Icmp, IngressRule, Peer, Port } from 'cdk8s-cilium-lockdown';",
    );
    expect(outcome.typescript).toContain(
      'new IngressRule({ from: Peer.entities(Entity.REMOTE_NODE), icmps: [Icmp.v4(8)] }),',
    );
    expect(outcome.typescript).toContain(
      "pods: EndpointSelector.labels({ 'app.kubernetes.io/name': 'argocd-repo-server' }),",
    );
    const synthesized = synthTypeScript(outcome.typescript);
    expect(synthesized.map((m) => m.manifest.metadata?.name).sort()).toEqual(
      outcome.policies.map((p) => p.name).sort(),
    );
    const file = path.join(tmpDir(), 'from-ts.json');
    fs.writeFileSync(
      file,
      JSON.stringify({ apiVersion: 'v1', kind: 'List', items: synthesized.map((m) => m.manifest) }),
    );
    const after = await runReplay({ policies: [POLICIES, file], flows: AUDIT });
    expect(after.result.summary.wouldDrop).toBe(0);
  });
});

describe('suggest in other situations', () => {
  test('probes from reserved:host with allow-localhost=policy: the host entity on the probed port only', async () => {
    const flows = flowsFile([
      observeLine({
        src: HOMELAB.host,
        dst: HOMELAB.webapp,
        dport: 3000,
        time: at(0),
        node: 'homelab/k3s-2',
      }),
      observeLine({ src: HOMELAB.host, dst: HOMELAB.blog, dport: 80, time: at(1), node: 'homelab/k3s-1' }),
    ]);
    const before = await runReplay({ policies: [POLICIES], flows });
    expect(before.result.summary.wouldDrop).toBe(0);
    const o = await suggest({ policies: [POLICIES], flows, engine: { allowLocalhost: 'policy' } });
    expect(o.policies).toHaveLength(1);
    expect(o.policies[0]).toMatchObject({
      name: 'webapp-allow-from-host',
      subject: { namespace: 'webapp', matchLabels: { app: 'webapp' } },
      rules: [
        {
          direction: 'ingress',
          peer: { kind: 'entity', entity: 'host' },
          ports: [{ protocol: 'TCP', port: 3000 }],
        },
      ],
    });
    expect(o.policies[0].notes[0]).toContain('kubelet probes');
    expect(o.verification.verified).toBe(true);
    expect(o.typescript).toContain('IngressRule.allowFrom(Peer.entities(Entity.HOST), Port.tcp(3000))');
    expect((synthTypeScript(o.typescript)[0].manifest.spec as { ingress?: unknown }).ingress).toEqual([
      { fromEntities: ['host'], toPorts: [{ ports: [{ port: '3000', protocol: 'TCP' }] }] },
    ]);
  });

  test('a cross-namespace call into a namespace with egress default deny: allows at both ends, ports merged per peer', async () => {
    const flows = flowsFile([
      observeLine({ src: HOMELAB.argocdServer, dst: HOMELAB.webapp, dport: 3000, time: at(0), node: 'n' }),
      observeLine({ src: HOMELAB.argocdServer, dst: HOMELAB.webapp, dport: 3001, time: at(1), node: 'n' }),
    ]);
    const o = await suggest({ policies: [POLICIES], flows });
    expect(
      o.policies.map((p) => [
        p.subject.namespace,
        p.name,
        p.rules[0].direction,
        p.rules[0].ports.map((x) => x.port),
      ]),
    ).toEqual([
      ['argocd', 'argocd-server-allow-to-webapp', 'egress', [3000, 3001]],
      ['webapp', 'webapp-allow-from-argocd-argocd-server', 'ingress', [3000, 3001]],
    ]);
    expect(o.policies[0].rules[0].peer).toEqual({
      kind: 'endpoints',
      matchLabels: { 'k8s:io.kubernetes.pod.namespace': 'webapp', app: 'webapp' },
    });
    expect(o.verification.verified).toBe(true);
  });

  test('an address with no name or identity: a /32, never world', async () => {
    const flows = flowsFile([
      observeLine({
        src: HOMELAB.argocdRepo,
        dst: { ...HOMELAB.world, ip: '203.0.113.9' },
        dport: 22,
        direction: 'EGRESS',
        time: at(0),
        node: 'n',
      }),
    ]);
    const o = await suggest({ policies: [POLICIES], flows });
    expect(o.policies[0].rules[0]).toMatchObject({
      peer: { kind: 'cidr', cidrs: ['203.0.113.9/32'] },
      ports: [{ protocol: 'TCP', port: 22 }],
    });
    expect(o.yaml[0].text).toMatch(/toCIDR:\n\s+- 203.0.113.9\/32/);
    expect(o.verification.verified).toBe(true);
  });

  test('an explicit deny cannot be fixed by an allow: not verified, exit 1', async () => {
    const deny = path.join(tmpDir(), 'deny.yaml');
    fs.writeFileSync(
      deny,
      [
        'apiVersion: cilium.io/v2',
        'kind: CiliumNetworkPolicy',
        'metadata: {name: no-scrapes, namespace: blog}',
        'spec:',
        '  endpointSelector: {}',
        '  ingressDeny:',
        '    - fromEndpoints: [{matchLabels: {k8s:io.kubernetes.pod.namespace: monitoring}}]',
        '',
      ].join('\n'),
    );
    const flows = flowsFile([
      observeLine({ src: HOMELAB.prometheus, dst: HOMELAB.blog, dport: 9100, time: at(0), node: 'n' }),
    ]);
    const o = await suggest({ policies: [POLICIES, deny], flows });
    expect(o.unfixable).toHaveLength(1);
    expect(o.unfixable[0].reason).toMatch(
      /ingress is denied by CiliumNetworkPolicy blog\/no-scrapes spec.ingressDeny\[0\]: deny rules win over any allow/,
    );
    expect(o.verification.verified).toBe(false);
    const chunks: string[] = [];
    const stdout = jest.spyOn(process.stdout, 'write').mockImplementation((c: any) => {
      chunks.push(String(c));
      return true;
    });
    let code: number;
    try {
      code = await suggestCommand({ policies: [POLICIES, deny], flows, format: 'text' });
    } finally {
      stdout.mockRestore();
    }
    expect(code).toBe(1);
    expect(chunks.join('')).toContain('NOT verified: with these changes the replay still drops 1 group:');
  });

  test('nothing dropped: nothing suggested, verified', async () => {
    const flows = flowsFile([
      observeLine({ src: HOMELAB.traefik, dst: HOMELAB.blog, dport: 80, time: at(0), node: 'n' }),
    ]);
    const o = await suggest({ policies: [POLICIES], flows });
    expect(o.policies).toEqual([]);
    expect(o.verification.verified).toBe(true);
    expect(loadManifests([POLICIES])).toHaveLength(6);
  });
});
