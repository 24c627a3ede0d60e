#!/usr/bin/env bash
# Consumer test: pack the library, install it into a fresh cdk8s app, synthesize an IngressOnlyApp
# there (type-checked against the shipped .d.ts), and run the packaged CLI.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cd "$root"
npm run --silent build
tarball=$(npm pack --silent --pack-destination "$work" | tail -n 1)
echo "packed $tarball"

cd "$work"
mkdir app && cd app
cat > package.json <<'JSON'
{ "name": "consumer-app", "version": "0.0.0", "private": true, "type": "commonjs" }
JSON
npm install --silent --no-audit --no-fund --prefer-offline "../$tarball"

cat > main.ts <<'TS'
import { App, Chart } from 'cdk8s';
import { EndpointSelector, IngressController, IngressOnlyApp, Port } from 'cdk8s-cilium-lockdown';
import { lintManifests, parseManifests } from 'cdk8s-cilium-lockdown/tools';
import type { ciliumMatchers } from 'cdk8s-cilium-lockdown/testing';
import type { CiliumLockdownValidation } from 'cdk8s-cilium-lockdown/plugin';

const app = new App({ outdir: 'dist' });
const chart = new Chart(app, 'consumer');
new IngressOnlyApp(chart, 'blog', {
  namespace: 'blog',
  pods: EndpointSelector.labels({ app: 'blog' }),
  ports: [Port.tcp(80)],
  ingressController: IngressController.traefik(),
});
app.synth();
// The tools subpath: lint what was just synthesized.
const report = lintManifests(parseManifests(app.synthYaml(), 'consumer'));
if (report.findings.some((f) => f.severity === 'error')) throw new Error('lint errors');
export type Subpaths = [typeof ciliumMatchers, CiliumLockdownValidation];
TS
cat > tsconfig.json <<'JSON'
{ "compilerOptions": { "target": "ES2022", "module": "commonjs", "strict": true, "esModuleInterop": true, "skipLibCheck": false, "types": [] }, "files": ["main.ts"] }
JSON
"$root/node_modules/.bin/tsc" -p tsconfig.json
node main.js

grep -q 'kind: CiliumNetworkPolicy' dist/consumer.k8s.yaml
grep -q 'app.kubernetes.io/instance: traefik-traefik' dist/consumer.k8s.yaml
grep -q 'health' dist/consumer.k8s.yaml
echo "synthesized dist/consumer.k8s.yaml with the IngressOnlyApp policy"

if [ -x node_modules/.bin/cilium-lockdown ]; then
  node_modules/.bin/cilium-lockdown --help > /dev/null
  echo "packaged cilium-lockdown CLI runs"
fi
# Workloads from any cdk8s-plus version: a Deployment and a Service of cdk8s-plus-28 and of
# cdk8s-plus-33 (what `cdk8s init typescript-app` installs) are passed to the constructs as they are.
for plus in 28 33; do
  mkdir "$work/plus-$plus" && cd "$work/plus-$plus"
  cat > package.json <<'JSON'
{ "name": "consumer-plus-app", "version": "0.0.0", "private": true, "type": "commonjs" }
JSON
  npm install --silent --no-audit --no-fund --prefer-offline "../$tarball" cdk8s constructs "cdk8s-plus-$plus"
  cat > main.ts <<TS
import { App, Chart } from 'cdk8s';
import * as plus from 'cdk8s-plus-$plus';
import { Connection, EndpointSelector, IngressController, IngressOnlyApp, Port } from 'cdk8s-cilium-lockdown';

const app = new App({ outdir: 'dist' });
const chart = new Chart(app, 'consumer', { namespace: 'blog' });
const blog = new plus.Deployment(chart, 'blog', {
  podMetadata: { labels: { app: 'blog' } },
  containers: [{ image: 'ghost', ports: [{ number: 2368, name: 'http' }], securityContext: { ensureNonRoot: false } }],
});
const service = new plus.Service(chart, 'blog-service', {
  selector: blog,
  ports: [{ port: 80, targetPort: 2368 }],
});
new IngressOnlyApp(chart, 'blog-policy', {
  pods: blog,
  ports: [Port.fromService(service)],
  ingressController: IngressController.traefik(),
});
new Connection(chart, 'blog-to-db', {
  from: blog,
  to: EndpointSelector.labels({ app: 'db' }, { namespace: 'blog' }),
  ports: [Port.tcp(5432)],
  allowAtSource: true,
});
app.synth();
TS
  cp "$work/app/tsconfig.json" tsconfig.json
  "$root/node_modules/.bin/tsc" -p tsconfig.json
  node main.js
  grep -q "cdk8s.io/metadata.addr" dist/consumer.k8s.yaml
  grep -q 'port: "2368"' dist/consumer.k8s.yaml
  echo "cdk8s-plus-$plus: a Deployment and a Service type-check and synthesize"
done
echo "consumer test: 3 passed, 0 failed"
