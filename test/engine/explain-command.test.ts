import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { runAction } from '../../lib/cli/common';
import { ExplainCommandOptions, runExplain } from '../../lib/cli/explain-command';

const POLICIES = `apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata: {name: blog-policy, namespace: blog}
spec:
  endpointSelector: {matchLabels: {app: blog}}
  ingress:
  - fromEndpoints:
    - matchLabels:
        k8s:io.kubernetes.pod.namespace: traefik
        app.kubernetes.io/instance: traefik-traefik
    toPorts:
    - ports: [{port: "80", protocol: TCP}]
---
apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata: {name: x, namespace: traefik}
spec:
  endpointSelector: {}
  egress:
  - toEndpoints: [{matchLabels: {k8s:io.kubernetes.pod.namespace: blog}}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: blog, namespace: blog}
spec: {}
`;

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'explain-'));
  fs.writeFileSync(path.join(dir, 'policies.yaml'), POLICIES);
  fs.writeFileSync(
    path.join(dir, 'broken.yaml'),
    'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: [unclosed\n',
  );
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const TRAEFIK = 'traefik/app.kubernetes.io/instance=traefik-traefik';
function opts(over: Partial<ExplainCommandOptions>): ExplainCommandOptions {
  return {
    policies: [path.join(dir, 'policies.yaml')],
    from: TRAEFIK,
    to: 'blog/app=blog',
    port: '80/TCP',
    enforcement: 'default',
    allowLocalhost: 'always',
    format: 'text',
    clusterName: 'default',
    ...over,
  };
}
function run(over: Partial<ExplainCommandOptions>): { code: number; out: string } {
  let out = '';
  const code = runExplain(opts(over), (t) => {
    out += t;
  });
  return { code, out };
}

describe('explain command', () => {
  test('an allowed flow names the allowing rule on each side', () => {
    const { code, out } = run({});
    expect(code).toBe(0);
    expect(out.split('\n')).toEqual([
      `FORWARDED: ${TRAEFIK} -> blog/app=blog on 80/TCP`,
      `  egress at ${TRAEFIK}: ALLOWED by CiliumNetworkPolicy traefik/x spec.egress[0]`,
      '  ingress at blog/app=blog: ALLOWED by CiliumNetworkPolicy blog/blog-policy spec.ingress[0]',
    ]);
  });

  test('a default-deny names the selecting policy and the rule to add', () => {
    const { code, out } = run({ port: '81/TCP' });
    expect(code).toBe(1); // the flow would be dropped
    expect(out).toContain(`DROPPED: ${TRAEFIK} -> blog/app=blog on 81/TCP`);
    expect(out).toContain(
      `ingress at blog/app=blog: DEFAULT_DENY — selected by CiliumNetworkPolicy blog/blog-policy (spec.ingress), nothing allows ${TRAEFIK} on 81/TCP`,
    );
    expect(out).toContain('to allow it, add to CiliumNetworkPolicy blog/blog-policy spec.ingress:');
    expect(out).toContain('port: "81"');
    expect(out).toContain('k8s:app.kubernetes.io/instance: traefik-traefik');
  });

  test('audit mode reports AUDIT, and exits 1: dropped once enforced', () => {
    const { out, code } = run({ port: '81/TCP', audit: true });
    expect(code).toBe(1);
    expect(out).toMatch(/^AUDIT: /);
    expect(out).toContain('[audit mode: forwarded and reported as AUDIT]');
  });

  test('enforcement and allow-localhost options reach the engine', () => {
    expect(run({ from: 'entity:host', port: '8080/TCP' }).out).toMatch(/^FORWARDED/);
    expect(run({ from: 'entity:host', port: '8080/TCP', allowLocalhost: 'policy' }).out).toMatch(/^DROPPED/);
    expect(run({ from: 'default/app=x', to: 'other/app=y', enforcement: 'always' }).out).toMatch(/^DROPPED/);
    expect(run({ from: 'blog/app=x', to: 'blog/app=blog', enforcement: 'never' }).out).toMatch(/^FORWARDED/);
  });

  test('named ports of the destination can be given', () => {
    const file = path.join(dir, 'named.yaml');
    fs.writeFileSync(
      file,
      'apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: {name: named, namespace: blog}\nspec:\n  endpointSelector: {}\n  ingress:\n  - toPorts: [{ports: [{port: http, protocol: TCP}]}]\n',
    );
    expect(run({ policies: [file], port: '8080/TCP' }).out).toMatch(/^UNDECIDED[\s\S]*named port "http"/);
    expect(run({ policies: [file], port: '8080/TCP' }).code).toBe(1); // never green on doubt
    expect(run({ policies: [file], port: '8080/TCP', namedPort: ['http=8080/TCP'] }).out).toMatch(
      /^FORWARDED/,
    );
  });

  test('JSON output has the documented, stable shape', () => {
    const { out } = run({ port: '81/TCP', format: 'json' });
    const json = JSON.parse(out);
    expect(Object.keys(json)).toEqual([
      'verdict',
      'from',
      'to',
      'port',
      'options',
      'egress',
      'ingress',
      'warnings',
    ]);
    expect(Object.keys(json.ingress)).toEqual([
      'direction',
      'endpoint',
      'decision',
      'audited',
      'l7',
      'rules',
      'notes',
      'summary',
      'fix',
    ]);
    expect(json.ingress.rules).toEqual([
      { kind: 'CiliumNetworkPolicy', namespace: 'blog', name: 'blog-policy', path: 'spec.ingress' },
    ]);
    expect(json.ingress.fix.element).toEqual({
      fromEndpoints: [
        {
          matchLabels: {
            'k8s:io.kubernetes.pod.namespace': 'traefik',
            'k8s:app.kubernetes.io/instance': 'traefik-traefik',
          },
        },
      ],
      toPorts: [{ ports: [{ port: '81', protocol: 'TCP' }] }],
    });
    expect(run({ port: '81/TCP', format: 'json' }).out).toBe(out);
  });

  test('the fix for a pod default-denied only by a cluster-wide policy is a policy of its own namespace, never the cluster-wide one', () => {
    const file = path.join(dir, 'ccnp.yaml');
    fs.writeFileSync(
      file,
      `${POLICIES}---
apiVersion: cilium.io/v2
kind: CiliumClusterwideNetworkPolicy
metadata: {name: default-deny}
spec:
  endpointSelector: {matchExpressions: [{key: k8s:io.kubernetes.pod.namespace, operator: NotIn, values: [kube-system]}]}
  ingress: [{}]
  egress: [{}]
`,
    );
    const json = JSON.parse(
      run({ policies: [file], from: TRAEFIK, to: 'webapp/app=webapp', port: '3000/TCP', format: 'json' }).out,
    );
    expect(json.ingress.decision).toBe('DEFAULT_DENY');
    expect(json.ingress.rules.map((r: { kind: string }) => r.kind)).toEqual([
      'CiliumClusterwideNetworkPolicy',
    ]);
    expect(json.ingress.fix.target).toMatch(/^a CiliumNetworkPolicy in namespace webapp selecting /);
    expect(json.ingress.fix.target).not.toContain('default-deny');
  });

  test.each([
    [{ from: 'traefik' }, /--from: bad endpoint "traefik"/],
    [{ to: 'entity:everything' }, /--to: bad endpoint "entity:everything"/],
    [{ port: '80/ICMP' }, /--port: bad port "80\/ICMP"/],
    [{ namedPort: ['http'] }, /bad --named-port "http"/],
  ])('unusable input %j exits 2 with the bad text', (over, message) => {
    const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const before = process.exitCode;
    return runAction(() => run(over as Partial<ExplainCommandOptions>).code).then(() => {
      expect(process.exitCode).toBe(2);
      expect(String(stderr.mock.calls[0][0])).toMatch(message);
      stderr.mockRestore();
      process.exitCode = before;
    });
  });

  test('a YAML error exits 2 naming file and line (via the real CLI)', () => {
    const r = spawnSync(
      'npx',
      [
        'tsx',
        'lib/cli/main.ts',
        'explain',
        '--policies',
        dir,
        '--from',
        TRAEFIK,
        '--to',
        'blog/app=blog',
        '--port',
        '80',
      ],
      {
        cwd: path.join(__dirname, '..', '..'),
        encoding: 'utf8',
      },
    );
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/broken\.yaml:\d+: YAML syntax error/);
  });

  test('the real CLI prints the verdict and exits 1 when the flow would be dropped, 0 when forwarded', () => {
    const cli = (from: string) =>
      spawnSync(
        'npx',
        [
          'tsx',
          'lib/cli/main.ts',
          'explain',
          '--policies',
          path.join(dir, 'policies.yaml'),
          '--from',
          from,
          '--to',
          'blog/app=blog',
          '--port',
          '80/TCP',
        ],
        { cwd: path.join(__dirname, '..', '..'), encoding: 'utf8' },
      );
    const dropped = cli('default/app=curl');
    expect(dropped.stdout).toMatch(/^DROPPED: default\/app=curl -> blog\/app=blog on 80\/TCP/);
    expect(dropped.status).toBe(1);
    const forwarded = cli(TRAEFIK);
    expect(forwarded.stdout).toMatch(/^FORWARDED/);
    expect(forwarded.status).toBe(0);
  });

  test('a pod endpoint no policy of its namespace selects gets a warning instead of a fix', () => {
    const file = path.join(dir, 'cdk8s-plus.yaml');
    fs.writeFileSync(
      file,
      'apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: {name: blog-policy, namespace: blog}\nspec:\n' +
        '  endpointSelector: {matchLabels: {cdk8s.io/metadata.addr: homelab-blog-c8a1b2c3}}\n  ingress:\n  - fromEndpoints: [{matchLabels: {k8s:io.kubernetes.pod.namespace: traefik}}]\n' +
        '---\napiVersion: cilium.io/v2\nkind: CiliumClusterwideNetworkPolicy\nmetadata: {name: deny}\nspec:\n  endpointSelector: {}\n  ingress: [{}]\n',
    );
    const { out, code } = run({ policies: [file], from: 'default/app=curl', port: '80/TCP' });
    expect(code).toBe(1);
    expect(out).toContain(
      'blog/app=blog matches no subject of the policy in namespace blog (blog-policy selects',
    );
    expect(out).toContain('cdk8s.io/metadata.addr');
    expect(out).not.toContain('to allow it');
    const json = JSON.parse(
      run({ policies: [file], from: 'default/app=curl', port: '80/TCP', format: 'json' }).out,
    );
    expect(json.ingress.fix).toBeUndefined();
    expect(json.warnings[0]).toMatch(/^blog\/app=blog matches no subject/);
  });
});
