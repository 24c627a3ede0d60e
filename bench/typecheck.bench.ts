/**
 * Type-check cost for users: `npx tsx bench/typecheck.bench.ts`.
 * Builds the library's declarations, then type-checks (`tsc --noEmit`) two small consumer apps
 * that differ only in their policy: one written with cdk8s-plus alone (a NetworkPolicy), one
 * locking the same app down with this library's `IngressOnlyApp`. Reports the CPU seconds of
 * both (best of a few runs, with and without `skipLibCheck`) and their ratio.
 */
import { execFileSync } from 'child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join, resolve } from 'path';
import { checkTargets } from './targets';

const ROOT = resolve(__dirname, '..');
const TSC = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
const RUNS = Number(process.argv[2] ?? 3);

const WORKLOAD = `import { App, Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';

export const app = new App({ outdir: 'dist' });
export const chart = new Chart(app, 'blog', { namespace: 'blog' });
export const deployment = new kplus.Deployment(chart, 'blog', {
  containers: [{ image: 'ghost:5', portNumber: 2368, securityContext: { ensureNonRoot: false } }],
});
export const service = deployment.exposeViaService({ ports: [{ port: 80, targetPort: 2368 }] });
new kplus.Ingress(chart, 'ingress', { rules: [{ host: 'blog.example.com', backend: kplus.IngressBackend.fromService(service) }] });
`;

const PLUS_ONLY = `${WORKLOAD}
new kplus.NetworkPolicy(chart, 'policy', {
  selector: deployment,
  ingress: { default: kplus.NetworkPolicyTrafficDefault.DENY, rules: [{
    peer: kplus.Pods.select(chart, 'traefik', { labels: { 'app.kubernetes.io/name': 'traefik' } }),
    ports: [kplus.NetworkPolicyPort.tcp(2368)],
  }] },
});
app.synth();
`;

const WITH_LIBRARY = `${WORKLOAD}
import { IngressController, IngressOnlyApp, Port } from 'cdk8s-cilium-lockdown';

new IngressOnlyApp(chart, 'policy', { pods: deployment, ports: [Port.fromService(service)], ingressController: IngressController.traefik() });
app.synth();
`;

function consumer(dir: string, source: string, skipLibCheck: boolean): void {
  mkdirSync(join(dir, 'node_modules'), { recursive: true });
  for (const dep of ['cdk8s', 'cdk8s-plus-28', 'constructs'])
    symlinkSync(join(ROOT, 'node_modules', dep), join(dir, 'node_modules', dep));
  // The library as installed: its package.json points `types` at the built declarations.
  symlinkSync(ROOT, join(dir, 'node_modules', 'cdk8s-cilium-lockdown'));
  writeFileSync(join(dir, 'main.ts'), source);
  writeFileSync(
    join(dir, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        target: 'ES2022',
        module: 'commonjs',
        strict: true,
        esModuleInterop: true,
        skipLibCheck,
        types: [],
      },
      files: ['main.ts'],
    }),
  );
}

/** CPU seconds (user + system) of one `tsc --noEmit` in `dir`, best of RUNS. */
function typecheck(dir: string): number {
  let best = Infinity;
  for (let i = 0; i < RUNS; i++) {
    const out = execFileSync(
      'bash',
      [
        '-c',
        `TIMEFORMAT='%U %S'; { time node ${JSON.stringify(TSC)} --noEmit -p tsconfig.json >/dev/null; } 2>&1`,
      ],
      { cwd: dir, encoding: 'utf8' },
    );
    const [user, sys] = out.trim().split(/\s+/).slice(-2).map(Number);
    best = Math.min(best, user + sys);
  }
  return best;
}

function main(): void {
  execFileSync('npm', ['run', '--silent', 'build'], { cwd: ROOT, stdio: 'inherit' });
  const work = mkdtempSync(join(tmpdir(), 'typecheck-bench-'));
  try {
    const targets = [];
    for (const skipLibCheck of [false, true]) {
      const plus = join(work, `plus-${skipLibCheck}`);
      const lib = join(work, `lib-${skipLibCheck}`);
      consumer(plus, PLUS_ONLY, skipLibCheck);
      consumer(lib, WITH_LIBRARY, skipLibCheck);
      const floor = typecheck(plus);
      const ours = typecheck(lib);
      console.log(
        `tsc --noEmit (skipLibCheck ${skipLibCheck}): with the library ${ours.toFixed(2)} s CPU vs cdk8s-plus only ${floor.toFixed(2)} s CPU = ${(ours / floor).toFixed(2)}x`,
      );
      targets.push({
        name: `type-check cost, skipLibCheck ${skipLibCheck} (x100, vs cdk8s-plus only)`,
        value: (ours / floor) * 100,
        limit: 125,
        kind: 'max' as const,
      });
    }
    checkTargets(targets);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

main();
