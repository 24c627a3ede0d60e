/**
 * Matrix and service map at cluster scale: `npx tsx bench/matrix.bench.ts [workloads] [policies]`.
 * Generated input: N Deployments across N/5 namespaces, P CNPs of the same shape (each selects one
 * app and admits the previous app of its namespace on its port), plus the homelab's workloads and
 * policies. The floor is loading and compiling the same policies (PolicyEngine.fromManifests) in
 * the same run; targets are the matrix JSON time as a ratio to it, the absolute time and peak RSS
 * (the issue's goal: under 10 s and 500 MB at 2,000 workloads and 5,000 policies), and the map's
 * time: the whole HTML page (the overview's layout and every namespace's drill-down), under 5 s.
 * It also prints how many flows there are, how many were evaluated (the pairs a rule may decide)
 * and how many the json lists (those that differ from their ends' defaults). Last, the same
 * inputs written as YAML files go through the built CLI (`npm run build` first when the build is
 * older than lib/): what a user waits for, YAML parsing and the CRD schema check included.
 */
import { execFileSync } from 'child_process';
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { stringify } from 'yaml';
import { PolicyEngine } from '../lib/engine/engine';
import { loadManifests } from '../lib/manifest/load';
import { KubeManifest, SourcedManifest } from '../lib/manifest/types';
import { computeMatrix } from '../lib/matrix/compute';
import { renderJsonChunks } from '../lib/matrix/render-json';
import { renderHtml } from '../lib/matrix/render-html';
import { clusterPolicy, clusterNamespaces, clusterWorkload } from './matrix-cluster';
import { checkTargets } from './targets';

const WORKLOADS = Number(process.argv[2] ?? 2000);
const POLICIES = Number(process.argv[3] ?? 5000);
const NAMESPACES = clusterNamespaces(WORKLOADS);

function sourced(file: string, manifests: KubeManifest[]): SourcedManifest[] {
  return manifests.map((manifest, i) => ({ manifest, file, line: i + 1 }));
}

const ROOT = path.join(__dirname, '..');
const CLI = path.join(ROOT, 'build', 'lib', 'cli', 'main.js');

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const at = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(at));
    else if (entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(at).mtimeMs);
  }
  return newest;
}

/** Wall seconds and peak RSS (MB) of `cilium-lockdown matrix --format json` on the same inputs as files. */
function cliMatrixJson(
  policies: KubeManifest[],
  workloads: KubeManifest[],
): { seconds: number; rssMb: number } {
  let built = 0;
  try {
    built = statSync(CLI).mtimeMs;
  } catch {
    built = 0;
  }
  if (built < newestSource(path.join(ROOT, 'lib')))
    execFileSync('npm', ['run', '--silent', 'build'], { cwd: ROOT, stdio: 'inherit' });
  const work = mkdtempSync(path.join(tmpdir(), 'matrix-bench-'));
  try {
    const policyFile = path.join(work, 'policies.yaml');
    const workloadFile = path.join(work, 'workloads.yaml');
    writeFileSync(policyFile, policies.map((m) => stringify(m)).join('---\n'));
    writeFileSync(workloadFile, workloads.map((m) => stringify(m)).join('---\n'));
    const script =
      `TIMEFORMAT='%R'; { time /usr/bin/time -f '%M' node ${JSON.stringify(CLI)} matrix ` +
      `--policies ${JSON.stringify(policyFile)} --workloads ${JSON.stringify(workloadFile)} --format json >/dev/null; } 2>&1`;
    const [rssKb, seconds] = execFileSync('bash', ['-c', script], { encoding: 'utf8' })
      .trim()
      .split(/\s+/)
      .slice(-2)
      .map(Number);
    return { seconds, rssMb: rssKb / 1024 };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const fixtures = path.join(__dirname, '..', 'test', 'fixtures');
  const homelab = [
    ...loadManifests([path.join(fixtures, 'hubble', 'homelab-policies.yaml')]),
    ...loadManifests([path.join(fixtures, 'matrix', 'homelab-workloads.k8s.yaml')]),
  ];
  const policies = [
    ...sourced(
      'generated.yaml',
      Array.from({ length: POLICIES }, (_, j) => clusterPolicy(j, WORKLOADS)),
    ),
    ...homelab,
  ];
  const workloads = sourced(
    'workloads.yaml',
    Array.from({ length: WORKLOADS }, (_, i) => clusterWorkload(i, WORKLOADS)),
  );

  const t0 = performance.now();
  PolicyEngine.fromManifests(policies.filter((s) => s.manifest.apiVersion?.startsWith('cilium.io/')));
  const floorS = (performance.now() - t0) / 1000;

  const t1 = performance.now();
  const matrix = computeMatrix({ policies, workloads }, { engine: {} });
  const computeS = (performance.now() - t1) / 1000;
  // As the CLI does: the json in pieces, each written (here: counted) and dropped.
  let jsonBytes = 0;
  for (const chunk of renderJsonChunks(matrix)) jsonBytes += Buffer.byteLength(chunk);
  const matrixS = (performance.now() - t1) / 1000;
  const rssMb = process.resourceUsage().maxRSS / 1024;

  const t2 = performance.now();
  const html = await renderHtml(matrix, { allEdges: false });
  const mapS = (performance.now() - t2) / 1000;

  console.log(
    `workloads: ${WORKLOADS} in ${NAMESPACES} namespaces, policies: ${POLICIES} + ${homelab.length} homelab manifests`,
  );
  console.log(
    `identities: ${matrix.identities.length}, flows: ${matrix.flowCounts.total}, evaluated: ${matrix.decidedCells.length}, edges listed: ${matrix.exceptionCells.length}, json: ${(jsonBytes / 1e6).toFixed(1)} MB`,
  );
  console.log(`floor (load and compile the policies): ${floorS.toFixed(2)} s`);
  console.log(
    `matrix --format json: ${matrixS.toFixed(2)} s (${computeS.toFixed(2)} s to compute; ${(matrixS / floorS).toFixed(1)}x the floor), peak RSS ${Math.round(rssMb)} MB`,
  );
  console.log(
    `service map (html, layout included): ${mapS.toFixed(2)} s, ${(html.length / 1e6).toFixed(1)} MB`,
  );
  const cli = cliMatrixJson(
    policies.map((s) => s.manifest),
    workloads.map((s) => s.manifest),
  );
  console.log(
    `cilium-lockdown matrix --format json on the same inputs as YAML files: ${cli.seconds.toFixed(2)} s wall, peak RSS ${Math.round(cli.rssMb)} MB`,
  );
  checkTargets([
    { name: 'matrix json / policy compile floor (x1)', value: matrixS / floorS, limit: 8, kind: 'max' },
    { name: 'matrix json wall time (ms)', value: matrixS * 1000, limit: 10_000, kind: 'max' },
    { name: 'peak RSS after matrix json (MB)', value: rssMb, limit: 500, kind: 'max' },
    {
      name: 'CLI matrix --format json wall time (ms)',
      value: cli.seconds * 1000,
      limit: 10_000,
      kind: 'max',
    },
    { name: 'CLI matrix --format json peak RSS (MB)', value: cli.rssMb, limit: 500, kind: 'max' },
    { name: 'service map html incl. layout (ms)', value: mapS * 1000, limit: 5_000, kind: 'max' },
  ]);
}

void main();
