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
import { assessRollout, lintManifests, parseManifests, runReplay } from 'cdk8s-cilium-lockdown/tools';
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
// The tools subpath: the rollout gate from code, over Hubble exports written below.
async function gate(flows: string): Promise<string> {
  const assessment = assessRollout(await runReplay({ policies: ['dist'], flows }));
  return `${assessment.exitCode} ${assessment.blockers.map((b) => b.kind).join(',')}`;
}
void (async () => {
  const answers = [await gate('allowed.jsonl'), await gate('audited.jsonl')];
  if (answers.join('|') !== '0 |1 would-drop') throw new Error(`rollout gate answered ${answers.join('|')}`);
})();
export type Subpaths = [typeof ciliumMatchers, CiliumLockdownValidation];
TS
# Traefik to the blog on port 80 (the policy allows it); Prometheus to the blog on 9100 (audited:
# enforcement would drop it).
echo '{"flow":{"time":"2026-07-01T10:00:00Z","uuid":"5f0c0001-1d2e-4f3a-9b8c-000000000001","verdict":"FORWARDED","ethernet":{"source":"0a:58:0a:f4:01:14","destination":"0a:58:0a:f4:01:1f"},"IP":{"source":"10.244.1.20","destination":"10.244.1.31","ipVersion":"IPv4"},"l4":{"TCP":{"source_port":40000,"destination_port":80,"flags":{"SYN":true}}},"source":{"identity":41201,"cluster_name":"default","namespace":"traefik","labels":["k8s:app.kubernetes.io/instance=traefik-traefik","k8s:app.kubernetes.io/name=traefik","k8s:io.cilium.k8s.namespace.labels.kubernetes.io/metadata.name=traefik","k8s:io.cilium.k8s.policy.cluster=default","k8s:io.cilium.k8s.policy.serviceaccount=traefik-traefik","k8s:io.kubernetes.pod.namespace=traefik"],"pod_name":"traefik-traefik-6b9c8d7f5d-x2kqp","workloads":[{"name":"traefik-traefik","kind":"Deployment"}]},"destination":{"ID":1511,"identity":52311,"cluster_name":"default","namespace":"blog","labels":["k8s:app=blog","k8s:io.cilium.k8s.namespace.labels.kubernetes.io/metadata.name=blog","k8s:io.cilium.k8s.policy.cluster=default","k8s:io.cilium.k8s.policy.serviceaccount=default","k8s:io.kubernetes.pod.namespace=blog"],"pod_name":"blog-7c9f8b6d4-q8zlm","workloads":[{"name":"blog","kind":"Deployment"}]},"Type":"L3_L4","node_name":"default/k3s-1","node_labels":["kubernetes.io/hostname=k3s-1"],"event_type":{"type":5},"traffic_direction":"INGRESS","is_reply":false,"Summary":"TCP Flags: SYN"},"node_name":"default/k3s-1","time":"2026-07-01T10:00:00Z"}' > allowed.jsonl
echo '{"flow":{"time":"2026-07-01T10:00:05Z","uuid":"5f0c0002-1d2e-4f3a-9b8c-000000000002","verdict":"AUDIT","ethernet":{"source":"0a:58:0a:f4:01:14","destination":"0a:58:0a:f4:01:1f"},"IP":{"source":"10.244.2.60","destination":"10.244.1.31","ipVersion":"IPv4"},"l4":{"TCP":{"source_port":41000,"destination_port":9100,"flags":{"SYN":true}}},"source":{"identity":47001,"cluster_name":"default","namespace":"monitoring","labels":["k8s:app=prometheus","k8s:io.cilium.k8s.namespace.labels.kubernetes.io/metadata.name=monitoring","k8s:io.cilium.k8s.policy.cluster=default","k8s:io.cilium.k8s.policy.serviceaccount=prometheus-k8s","k8s:io.kubernetes.pod.namespace=monitoring"],"pod_name":"prometheus-k8s-0","workloads":[{"name":"prometheus-k8s","kind":"StatefulSet"}]},"destination":{"ID":1511,"identity":52311,"cluster_name":"default","namespace":"blog","labels":["k8s:app=blog","k8s:io.cilium.k8s.namespace.labels.kubernetes.io/metadata.name=blog","k8s:io.cilium.k8s.policy.cluster=default","k8s:io.cilium.k8s.policy.serviceaccount=default","k8s:io.kubernetes.pod.namespace=blog"],"pod_name":"blog-7c9f8b6d4-q8zlm","workloads":[{"name":"blog","kind":"Deployment"}]},"Type":"L3_L4","node_name":"default/k3s-1","node_labels":["kubernetes.io/hostname=k3s-1"],"event_type":{"type":5},"traffic_direction":"INGRESS","is_reply":false,"Summary":"TCP Flags: SYN"},"node_name":"default/k3s-1","time":"2026-07-01T10:00:05Z"}' > audited.jsonl
cat > tsconfig.json <<'JSON'
{ "compilerOptions": { "target": "ES2022", "module": "commonjs", "strict": true, "esModuleInterop": true, "skipLibCheck": false, "types": [] }, "files": ["main.ts"] }
JSON
"$root/node_modules/.bin/tsc" -p tsconfig.json
node main.js

grep -q 'kind: CiliumNetworkPolicy' dist/consumer.k8s.yaml
grep -q 'app.kubernetes.io/instance: traefik-traefik' dist/consumer.k8s.yaml
grep -q 'health' dist/consumer.k8s.yaml
echo "synthesized dist/consumer.k8s.yaml with the IngressOnlyApp policy; the rollout gate from /tools answered ready, then not ready"

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
