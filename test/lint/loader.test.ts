import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { loadManifestInputs, ManifestLoadError, parseManifests } from '../../lib/manifest/load';

const POLICY =
  'apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: {name: web, namespace: blog}\nspec:\n  endpointSelector: {}\n  ingress: [{}]\n';

describe('the manifest loader on real repository checkouts', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'loader-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const write = (name: string, text: string): string => {
    const file = path.join(dir, name);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
    return file;
  };

  it('skips and counts what is not a Kubernetes manifest, keeps the policies', () => {
    write('policy.yaml', POLICY);
    write('.github/labels.yml', '- name: bug\n  color: d73a4a\n');
    write('group_vars/vault.yml', '$ANSIBLE_VAULT;1.1;AES256\n61626364\n');
    write('values.yaml', 'replicaCount: 2\nimage: {tag: v1}\n');
    write(
      'chart/templates/cnp.yaml',
      'apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata:\n  name: {{ .Release.Name }}\n',
    );
    write(
      'kustomization.yaml',
      'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: [policy.yaml]\n',
    );
    write('broken-config.yml', 'key: [unclosed\n');
    const r = loadManifestInputs([dir]);
    expect(r.manifests.map((m) => m.manifest.kind)).toEqual(['CiliumNetworkPolicy']);
    expect(r.skipped.map((s) => [path.relative(dir, s.file), s.reason.replace(/ \(.*/, '')])).toEqual([
      ['.github/labels.yml', 'not a Kubernetes object'],
      ['broken-config.yml', 'not YAML'],
      ['chart/templates/cnp.yaml', 'Helm/Go template'],
      ['group_vars/vault.yml', 'not a Kubernetes object'],
      ['kustomization.yaml', 'Kustomize file'],
      ['values.yaml', 'not a Kubernetes object'],
    ]);
  });

  it('follows symbolic links once: loops and dangling links are skipped, not fatal', () => {
    write('a/policy.yaml', POLICY);
    fs.symlinkSync('..', path.join(dir, 'a', 'loop'));
    fs.symlinkSync('missing.yaml', path.join(dir, 'a', 'dangling.yaml'));
    fs.symlinkSync('policy.yaml', path.join(dir, 'a', 'again.yaml'));
    const r = loadManifestInputs([dir]);
    expect(r.manifests).toHaveLength(1);
    expect(r.skipped.map((s) => s.reason.replace(/ \(.*| \/.*/, ''))).toEqual([
      'dangling symbolic link',
      'directory already read',
      'same file as',
    ]);
  });

  it('refuses input it cannot read completely with the file and the reason', () => {
    const expectLoadError = (paths: string[], pattern: RegExp): void => {
      let caught: unknown;
      try {
        loadManifestInputs(paths);
      } catch (e) {
        caught = e;
      }
      expect(caught).toBeInstanceOf(ManifestLoadError);
      expect((caught as Error).message).toMatch(pattern);
    };
    expectLoadError(['/dev/zero'], /^\/dev\/zero: not a regular file/);
    expectLoadError(
      [path.join(dir, 'nope.yaml')],
      /nope\.yaml: cannot read: ENOENT \(no such file or directory\)/,
    );
    const big = write('big.yaml', `# ${'x'.repeat(2048)}\n${POLICY}`);
    expect(() => loadManifestInputs([big], { maxFileBytes: 1024 })).toThrow(
      /big\.yaml: larger than 1024 bytes/,
    );
    const many = write(
      'many.yaml',
      Array.from(
        { length: 30 },
        (_, i) => `---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: c${i}}\n`,
      ).join(''),
    );
    expect(() => loadManifestInputs([many], { maxDocuments: 25 })).toThrow(
      /many\.yaml:\d+: more than 25 YAML documents/,
    );
    const bomb = [
      'a: &a [x, x, x, x, x, x, x, x, x, x]',
      ...'bcdefghij'
        .split('')
        .map((c, i) => `${c}: &${c} [${Array(10).fill(`*${'abcdefghij'[i]}`).join(', ')}]`),
      'kind: ConfigMap',
      'apiVersion: v1',
    ].join('\n');
    expect(() => loadManifestInputs([write('bomb.yaml', bomb)])).toThrow(
      /bomb\.yaml:1: cannot read the document: Excessive alias count/,
    );
    expect(() => loadManifestInputs([write('bad-policy.yaml', `${POLICY}  egress: [\n`)])).toThrow(
      /bad-policy\.yaml:\d+: YAML syntax error/,
    );
    const unreadable = path.join(dir, 'locked');
    fs.mkdirSync(unreadable);
    if (process.getuid?.() !== 0) {
      fs.chmodSync(unreadable, 0);
      expectLoadError([dir], /locked: cannot read directory: EACCES \(permission denied\)/);
      fs.chmodSync(unreadable, 0o755);
    }
  });

  it('reads YAML as kubectl does (1.1 booleans and octals) and keeps field lines and repeated keys', () => {
    const [m] = parseManifests(
      `${POLICY.replace('metadata: {name: web, namespace: blog}', 'metadata:\n  name: web\n  namespace: blog\n  labels: {a: yes, b: "yes", c: 0755, d: 2024-01-01}')}  ingress: [{}]\n`,
      'p.yaml',
    );
    expect(m.manifest.metadata!.labels).toEqual({ a: true, b: 'yes', c: 493, d: '2024-01-01' });
    expect(m.locate!('spec.ingress')).toBe(10);
    expect(m.locate!('metadata.labels["b"]')).toBe(6);
    expect(m.locate!('spec.egress[3].toPorts')).toBe(7);
    expect(m.sourceIssues).toEqual([
      { path: 'spec.ingress', line: 10, message: expect.stringContaining('first on line 9') },
    ]);
  });

  it('finds field lines in any document of a file and in a List item, first asked after loading', () => {
    const text = [
      '# policies', // 1
      POLICY.trimEnd(), // 2-7
      '---', // 8
      '# the second', // 9
      POLICY.replace('name: web', 'name: api')
        .replace('ingress: [{}]', 'egress:\n  - toEntities: [world]')
        .trimEnd(), // 10-16
      '---', // 17
      'apiVersion: v1', // 18
      'kind: List', // 19
      'items:', // 20
      '  - apiVersion: cilium.io/v2', // 21
      '    kind: CiliumNetworkPolicy', // 22
      '    metadata: {name: one, namespace: blog}', // 23
      '    spec: {endpointSelector: {}}', // 24
      '  - apiVersion: cilium.io/v2', // 25
      '    kind: CiliumNetworkPolicy', // 26
      '    metadata: {name: two, namespace: blog}', // 27
      '    spec:', // 28
      '      endpointSelector: {}', // 29
      '      ingress: [{}]', // 30
      '',
    ].join('\n');
    const [web, api, one, two] = parseManifests(text, 'many.yaml');
    expect([web, api, one, two].map((m) => m.manifest.metadata?.name)).toEqual(['web', 'api', 'one', 'two']);
    expect(two.locate!('spec.ingress')).toBe(30);
    expect(one.locate!('spec')).toBe(24);
    expect(api.locate!('spec.egress[0].toEntities')).toBe(16);
    expect(api.locate!('metadata')).toBe(12);
    expect(web.locate!('spec.ingress')).toBe(7);
    expect(two.locate!('(root)')).toBe(25);
  });
});
