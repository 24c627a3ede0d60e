/**
 * The two consumer apps of `bench/typecheck.bench.ts`: the same small app locked down with
 * cdk8s-plus alone and with this library. `test/bench/typecheck-apps.test.ts` type-checks both
 * against the built library, so the bench cannot rot unnoticed.
 */
import { mkdirSync, symlinkSync, writeFileSync } from 'fs';
import { join, resolve } from 'path';

export const ROOT = resolve(__dirname, '..');

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

export const PLUS_ONLY = `${WORKLOAD}
new kplus.NetworkPolicy(chart, 'policy', {
  selector: deployment,
  ingress: { default: kplus.NetworkPolicyTrafficDefault.DENY, rules: [{
    peer: kplus.Pods.select(chart, 'traefik', { labels: { 'app.kubernetes.io/name': 'traefik' } }),
    ports: [kplus.NetworkPolicyPort.tcp(2368)],
  }] },
});
app.synth();
`;

export const WITH_LIBRARY = `${WORKLOAD}
import { IngressController, IngressOnlyApp, Port } from 'cdk8s-cilium-lockdown';

new IngressOnlyApp(chart, 'policy', { pods: deployment, ports: [Port.fromService(service)], ingressController: IngressController.traefik() });
app.synth();
`;

/** Writes a consumer app into `dir`: its node_modules link this checkout's dependencies and the library as installed. */
export function consumer(dir: string, source: string, skipLibCheck: boolean): void {
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
