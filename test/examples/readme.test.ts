import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Yaml } from 'cdk8s';
import { KubeManifest } from '../../lib/manifest/types';
import { ciliumMatchers } from '../../lib/testing';

expect.extend(ciliumMatchers);

const root = path.join(__dirname, '..', '..');
const exampleFile = path.join(root, 'examples', 'readme', 'main.ts');

test("the README's short example is examples/readme/main.ts, byte for byte", () => {
  const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
  const block = /## A short example\n\n```ts\n([\s\S]*?)```\n/.exec(readme);
  expect(block).not.toBeNull();
  expect(block![1]).toEqual(fs.readFileSync(exampleFile, 'utf8'));
});

describe("the README's short example, synthesized as written", () => {
  let manifests: KubeManifest[];
  let outdir: string;
  beforeAll(() => {
    outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'readme-example-'));
    const before = process.env.CDK8S_OUTDIR;
    process.env.CDK8S_OUTDIR = outdir;
    try {
      // Its app.synth() runs the synth-time verification of every declared connection.
      jest.isolateModules(() => require(exampleFile));
    } finally {
      if (before === undefined) delete process.env.CDK8S_OUTDIR;
      else process.env.CDK8S_OUTDIR = before;
    }
    manifests = Yaml.load(path.join(outdir, 'policies.k8s.yaml')) as KubeManifest[];
  });
  afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));

  const traefik = 'traefik/app.kubernetes.io/instance=traefik-traefik,app.kubernetes.io/name=traefik';

  test('writes the policies and the Cilium values', () => {
    expect(fs.existsSync(path.join(outdir, 'cilium', 'values.yaml'))).toBe(true);
    expect(manifests.map((m) => m.kind)).toContain('CiliumClusterwideNetworkPolicy');
  });

  test('its connections work under the cluster default deny in both directions', () => {
    expect(manifests).toAllowFlow({ from: 'cidr:198.51.100.4', to: traefik, port: '8443/TCP' });
    expect(manifests).toAllowFlow({ from: traefik, to: 'blog/app=blog', port: '80/TCP' });
    expect(manifests).toAllowFlow({ from: traefik, to: 'webapp/app=webapp', port: '3000/TCP' });
    expect(manifests).toAllowFlow({ from: 'webapp/app=webapp', to: 'webapp/app=postgres', port: '5432/TCP' });
    expect(manifests).toAllowFlow({
      from: 'argocd/app.kubernetes.io/name=argocd-server',
      to: 'argocd/app.kubernetes.io/name=argocd-repo-server',
      port: '8081/TCP',
    });
    expect(manifests).toAllowFlow({
      from: 'argocd/app.kubernetes.io/name=argocd-repo-server',
      to: 'fqdn:github.com',
      port: '443/TCP',
    });
    expect(manifests).toAllowFlow({
      from: traefik,
      to: 'argocd/app.kubernetes.io/name=argocd-server',
      port: '8080/TCP',
    });
  });

  test('and nothing it does not declare', () => {
    expect(manifests).toDenyFlow({ from: traefik, to: 'webapp/app=postgres', port: '5432/TCP' });
    expect(manifests).toDenyFlow({ from: 'blog/app=blog', to: 'webapp/app=postgres', port: '5432/TCP' });
    expect(manifests).toDenyFlow({ from: 'default/app=curl', to: 'fqdn:example.com', port: '443/TCP' });
  });
});
