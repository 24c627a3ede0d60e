import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const ROOT = path.join(__dirname, '..', '..');
const FIXTURES = path.join(ROOT, 'test', 'fixtures', 'lint');

function cli(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(
    process.execPath,
    [require.resolve('tsx/cli'), path.join(ROOT, 'lib', 'cli', 'main.ts'), 'lint', ...args],
    { cwd: ROOT, encoding: 'utf8' },
  );
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('cilium-lockdown lint', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lint-cli-'));
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('exits 0 on clean input (warnings allowed) and prints a summary', () => {
    const r = cli(path.join(FIXTURES, 'blog', '3-github-wildcard-without-apex.yaml'));
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(
      /3-github-wildcard-without-apex\.yaml:24: warning fqdn-wildcard-excludes-apex: CiliumNetworkPolicy argocd\/argocd-repo-server-egress spec\.egress\[1\]\.toFQDNs\[0\]\.matchPattern: /,
    );
    expect(r.stdout).toMatch(/\n {4}fix: add `\{matchName: "github.com"\}`/);
    expect(r.stdout.trimEnd().split('\n').pop()).toBe('0 errors, 1 warning in 1 policy (1 file)');
  });

  it('exits 1 with an error-level finding, and prints the exact JSON shape', () => {
    const r = cli('--format', 'json', path.join(FIXTURES, 'blog', '2-argocd-fqdn-without-dns-rule.yaml'));
    expect(r.status).toBe(1);
    const json = JSON.parse(r.stdout);
    expect(Object.keys(json)).toEqual(['findings', 'skipped', 'summary']);
    expect(json.summary).toEqual({ errors: 1, warnings: 0, policies: 1, files: 1, skipped: 0 });
    expect(Object.keys(json.findings[0])).toEqual([
      'rule',
      'severity',
      'file',
      'line',
      'kind',
      'namespace',
      'name',
      'path',
      'message',
      'fix',
    ]);
    expect(json.findings[0]).toMatchObject({
      rule: 'fqdn-without-dns-proxy',
      severity: 'error',
      line: 20,
      kind: 'CiliumNetworkPolicy',
      namespace: 'argocd',
      name: 'argocd-repo-server-egress',
      path: 'spec.egress[1].toFQDNs',
    });
    expect(json.findings[0].file).toMatch(/2-argocd-fqdn-without-dns-rule\.yaml$/);
  });

  it('reads directories, multi-document files and List kinds', () => {
    const list = path.join(tmp, 'list.yaml');
    fs.writeFileSync(
      list,
      'apiVersion: v1\nkind: List\nitems:\n  - apiVersion: cilium.io/v2\n    kind: CiliumNetworkPolicy\n    metadata: {name: a, namespace: x}\n    spec:\n      endpointSelector: {}\n      ingress: [{fromEntities: [world-ipv4]}]\n',
    );
    const r = cli('--format', 'json', tmp, path.join(FIXTURES, 'blog', 'fixed'));
    expect(r.status).toBe(1);
    const json = JSON.parse(r.stdout);
    // the two fixed versions of argocd-repo-server-egress are different policies with one name
    expect(json.summary).toEqual({ errors: 3, warnings: 0, policies: 8, files: 6, skipped: 0 });
    // Findings are ordered by file path, and where the checkout lies decides which argument sorts first.
    expect(json.findings.map((f: { rule: string }) => f.rule).sort()).toEqual([
      'duplicate-policy',
      'duplicate-policy',
      'invalid-entity',
    ]);
    expect(json.findings.find((f: { rule: string }) => f.rule === 'invalid-entity')).toMatchObject({
      line: 9,
      path: 'spec.ingress[0].fromEntities[0]',
    });
  });

  it('lints a repository checkout: what is not a manifest is skipped and counted, not fatal', () => {
    const repo = path.join(tmp, 'repo');
    fs.mkdirSync(path.join(repo, '.github'), { recursive: true });
    fs.writeFileSync(path.join(repo, '.github', 'labels.yml'), '- name: bug\n  color: red\n');
    fs.writeFileSync(path.join(repo, 'vault.yml'), '$ANSIBLE_VAULT;1.1;AES256\n6162\n');
    fs.writeFileSync(
      path.join(repo, 'cnp.yaml'),
      'apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: {name: web, namespace: blog}\nspec:\n  endpointSelector: {}\n  ingress: [{}]\n',
    );
    const text = cli(repo);
    expect(text.status).toBe(0);
    expect(text.stdout).toContain(
      '0 errors, 0 warnings in 1 policy (3 files; skipped 2 (2 not a Kubernetes object))',
    );
    const json = JSON.parse(cli('--format', 'json', repo).stdout);
    expect(json.skipped).toEqual([
      {
        file: path.join(repo, '.github', 'labels.yml'),
        line: 1,
        reason: 'not a Kubernetes object (the document is a list)',
      },
      {
        file: path.join(repo, 'vault.yml'),
        line: 1,
        reason: 'not a Kubernetes object (the document is a scalar)',
      },
    ]);
  });

  it('exits 2 on unusable input, naming the file and line', () => {
    const broken = path.join(tmp, 'broken.yaml');
    fs.writeFileSync(broken, 'apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nspec:\n  ingress: [\n');
    const r = cli(broken);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(
      new RegExp(`${broken.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+: YAML syntax error`),
    );
    expect(cli(path.join(tmp, 'missing.yaml')).status).toBe(2);
    expect(cli('--format', 'xml', broken).status).toBe(2);
    const unknownRule = cli('--ignore', 'no-such-rule', path.join(FIXTURES, 'blog'));
    expect(unknownRule.status).toBe(2);
    expect(unknownRule.stderr).toContain('unknown rule no-such-rule');
  });

  it('--ignore and --cluster-cidr change what is reported', () => {
    const file = path.join(FIXTURES, 'blog', '2-argocd-fqdn-without-dns-rule.yaml');
    expect(cli('--ignore', 'fqdn-without-dns-proxy', file).status).toBe(0);
    const cidr = path.join(tmp, 'cidr', 'p.yaml');
    fs.mkdirSync(path.dirname(cidr));
    fs.writeFileSync(
      cidr,
      'apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: {name: db, namespace: x}\nspec:\n  endpointSelector: {}\n  egress: [{toCIDR: [10.20.0.0/16]}]\n',
    );
    expect(cli('--format', 'json', cidr).stdout).toContain('cidr-for-in-cluster-peer');
    expect(
      JSON.parse(cli('--format', 'json', '--cluster-cidr', '10.42.0.0/16,10.43.0.0/16', cidr).stdout)
        .findings,
    ).toEqual([]);
    expect(cli('--cluster-cidr', 'nope', cidr).status).toBe(2);
  });
});
