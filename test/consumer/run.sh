#!/usr/bin/env bash
# Consumer test: pack the library (built afresh by the `prepack` script), check what the
# tarball ships, install it into a fresh cdk8s app without any npm warning, synthesize an
# IngressOnlyApp there (type-checked against the shipped .d.ts), and run the packaged CLI.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cd "$root"
# prepack (a clean build) on its own, so that its output stays out of npm pack's JSON.
npm run --silent prepack > "$work/build.log" 2>&1 || { cat "$work/build.log"; exit 1; }
npm pack --silent --json --ignore-scripts --pack-destination "$work" > "$work/pack.json"
tarball=$(node -e 'console.log(require(process.argv[1])[0].filename)' "$work/pack.json")
echo "packed $tarball"

# What ships: the build without source maps (they would point at unshipped sources), the jsii
# assembly, the Cilium files, the docs the README and the messages cite; no tests, examples or
# TypeScript sources.
node - "$work/pack.json" <<'NODE'
// node_modules/: the bundled dependencies jsii requires (ajv, commander, elkjs, yaml), as published.
const files = require(process.argv[2])[0].files.map((f) => f.path).filter((f) => !f.startsWith('node_modules/'));
const bad = files.filter((f) => f.endsWith('.map') || /^(test|examples|scripts|bench|conformance|lib)\//.test(f));
const missing = ['.jsii', 'build/lib/index.js', 'build/lib/index.d.ts', 'build/lib/cli/main.js', 'build/lib/plugin/index.js',
  'build/lib/tools/index.js', 'build/lib/testing/index.js', 'build/lib/manifest/crd-validators.generated.js',
  'imports/cilium/1.20/ciliumnetworkpolicies.yaml', 'docs/cilium-semantics.md', 'docs/lint-rules.md', 'README.md']
  .filter((f) => !files.includes(f));
if (bad.length || missing.length) {
  console.error(`tarball: unexpected ${JSON.stringify(bad.slice(0, 10))}, missing ${JSON.stringify(missing)}`);
  process.exit(1);
}
console.log(`tarball ships ${files.length} files, no source maps, no sources or tests`);
NODE

cd "$work"
mkdir app && cd app
cat > package.json <<'JSON'
{ "name": "consumer-app", "version": "0.0.0", "private": true, "type": "commonjs" }
JSON
# The install must be silent: no install-scripts notice, no deprecation or peer warning.
npm install --no-audit --no-fund --prefer-offline --loglevel warn "../$tarball" > install.log 2>&1 || { cat install.log; exit 1; }
if grep -Ei 'npm (warn|error)|script' install.log; then
  echo "installing the tarball printed the warnings above" >&2
  exit 1
fi
echo "installed the tarball silently"

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

node_modules/.bin/cilium-lockdown --help > /dev/null
version=$(node_modules/.bin/cilium-lockdown --version)
expected=$(node -p 'require("cdk8s-cilium-lockdown/package.json").version' 2> /dev/null || node -p 'require("./node_modules/cdk8s-cilium-lockdown/package.json").version')
if [ "$version" != "$expected" ]; then
  echo "cilium-lockdown --version printed '$version', expected '$expected'" >&2
  exit 1
fi
echo "packaged cilium-lockdown CLI runs (--version $version)"
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
