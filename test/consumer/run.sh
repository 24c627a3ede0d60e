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
echo "consumer test: 1 passed, 0 failed"
