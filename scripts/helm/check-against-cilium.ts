/**
 * The Helm values checker against Cilium v1.20.0's own code:
 *
 *   generated   scripts/helm/derive's Go tests pass, and imports/cilium/1.20/{hubble-metrics,chart-keys}.json equal what
 *               scripts/helm/derive-from-cilium.ts derives from the source now
 *   metrics     every Hubble metric string of the corpus below is loaded by Cilium's registry the way the
 *               agent loads hubble.metrics.enabled (conformance/oracle/hubblemetrics); the checker's verdict
 *               must match: accepted <=> loaded with every option taking effect, "unregistered" <=> skipped,
 *               "agentFails" <=> the agent fails, "ignored" <=> loaded exactly as the spec without the option
 *   yaml        rendered values files read with Helm's YAML library (sigs.k8s.io/yaml) give back the values
 *
 *   tsx scripts/helm/check-against-cilium.ts
 *
 * Exit 0 when everything agrees, 1 on a disagreement, 2 when Cilium's code cannot be built or read.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import {
  checkHubbleMetricList,
  checkHubbleMetricSpec,
  type HubbleMetricProblem,
} from '../../lib/helm/hubble-metric';
import { renderValuesYaml } from '../../lib/helm/render-values';
import { CiliumHelmValues } from '../../lib/helm';
import { App, Chart } from 'cdk8s';
import { HOMELAB_CILIUM_VALUES } from '../../examples/homelab/cilium-values';
import { ciliumSource, derive, REPO_ROOT } from './cilium-source';
import { GENERATED } from './derive-from-cilium';
import { ACCEPTED, AMBIGUOUS_STRINGS, IGNORED, LIST_CASES, REFUSED } from './hubble-metric-cases';

interface ListResult {
  readonly error?: string;
  readonly skipped: string[];
  readonly handlers: {
    name: string;
    status: string;
    context?: Record<string, string>;
    metrics: { desc: string }[];
  }[];
}

const failures: string[] = [];
let passed = 0;
function expectThat(ok: boolean, what: string): void {
  if (ok) passed++;
  else failures.push(what);
}

function buildChecker(): string {
  const dir = path.join(REPO_ROOT, 'conformance', 'oracle', 'hubblemetrics');
  const bin = path.join(REPO_ROOT, 'conformance', 'oracle', 'bin', 'hubblemetrics');
  fs.mkdirSync(path.dirname(bin), { recursive: true });
  execFileSync('go', ['build', '-mod=readonly', '-trimpath', '-buildvcs=false', '-o', bin, '.'], {
    cwd: dir,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  return bin;
}

function runChecker(
  bin: string,
  lists: string[][],
  valuesFiles: string[],
): { lists: ListResult[]; valuesFiles: unknown[] } {
  const out = execFileSync(bin, [], {
    input: JSON.stringify({ lists, valuesFiles }),
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  return JSON.parse(out) as { lists: ListResult[]; valuesFiles: unknown[] };
}

function checkGenerated(): void {
  // The derive program's own tests (template language coverage, loud failure on what it cannot follow).
  execFileSync('go', ['test', './...'], {
    cwd: path.join(REPO_ROOT, 'scripts', 'helm', 'derive'),
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  passed++;
  const src = ciliumSource();
  for (const { file, what, dir } of GENERATED) {
    const target = path.join(REPO_ROOT, 'imports', 'cilium', '1.20', file);
    const committed = fs.existsSync(target) ? fs.readFileSync(target, 'utf8') : undefined;
    expectThat(
      committed === derive(what, dir(src)),
      `generated: imports/cilium/1.20/${file} differs from what scripts/helm/derive-from-cilium.ts derives; run it and review the diff`,
    );
  }
}

/** Drops one `;`-separated option (by index) from a metric spec. */
function withoutOption(spec: string, index: number): string {
  const [name, rest] = spec.split(/:(.*)/s);
  const options = rest.split(';').filter((_, i) => i !== index);
  return options.length === 0 ? name : `${name}:${options.join(';')}`;
}

function kindsOf(problems: readonly HubbleMetricProblem[]): Set<string> {
  return new Set(problems.map((p) => p.kind));
}

function checkMetrics(bin: string): void {
  const singles = [...ACCEPTED, ...REFUSED.map((c) => c.spec), ...IGNORED.flatMap((c) => [c.spec, c.same])];
  const reduced = ACCEPTED.flatMap((spec) =>
    spec.includes(':')
      ? spec
          .split(/:(.*)/s)[1]
          .split(';')
          .map((_, i) => withoutOption(spec, i))
      : [],
  );
  const lists = [...singles.map((s) => [s]), ...reduced.map((s) => [s]), ...LIST_CASES.map((c) => c.list)];
  const results = runChecker(bin, lists, []).lists;
  const byList = new Map(lists.map((l, i) => [JSON.stringify(l), results[i]]));
  const cilium = (list: string[]): ListResult => byList.get(JSON.stringify(list))!;
  const loaded = (r: ListResult): boolean =>
    r.error === undefined && r.skipped.length === 0 && r.handlers.length === 1;

  for (const spec of ACCEPTED) {
    const ours = checkHubbleMetricSpec(spec);
    const r = cilium([spec]);
    expectThat(
      ours.length === 0,
      `metrics: the checker refuses ${spec}: ${ours.map((p) => p.message).join('; ')}`,
    );
    expectThat(loaded(r), `metrics: Cilium does not load ${spec}: ${JSON.stringify(r)}`);
    if (!spec.includes(':') || !loaded(r)) continue;
    spec
      .split(/:(.*)/s)[1]
      .split(';')
      .forEach((option, i) => {
        const without = cilium([withoutOption(spec, i)]);
        expectThat(
          !isDeepStrictEqual(without.handlers, r.handlers),
          `metrics: option ${option} of ${spec} has no effect in Cilium, yet the checker accepts it`,
        );
      });
  }
  for (const { spec, kind } of REFUSED) {
    const ours = kindsOf(checkHubbleMetricSpec(spec));
    const r = cilium([spec]);
    expectThat(
      ours.has(kind),
      `metrics: the checker does not report ${spec} as ${kind} (got ${[...ours].join(', ') || 'nothing'})`,
    );
    if (kind === 'unregistered')
      expectThat(
        r.error === undefined && isDeepStrictEqual(r.skipped, [spec.split(':')[0]]),
        `metrics: Cilium does not skip ${spec}: ${JSON.stringify(r)}`,
      );
    if (kind === 'agentFails')
      expectThat(
        r.error !== undefined,
        `metrics: Cilium loads ${spec} although the checker says the agent fails: ${JSON.stringify(r)}`,
      );
  }
  for (const { spec, same } of IGNORED) {
    const ours = kindsOf(checkHubbleMetricSpec(spec));
    expectThat(
      isDeepStrictEqual([...ours], ['ignored']),
      `metrics: the checker does not report ${spec} as ignored (got ${[...ours].join(', ') || 'nothing'})`,
    );
    expectThat(
      checkHubbleMetricSpec(same).length === 0,
      `metrics: the checker refuses the equivalent ${same}`,
    );
    const a = cilium([spec]);
    const b = cilium([same]);
    expectThat(
      loaded(a) && isDeepStrictEqual(a, b),
      `metrics: Cilium does not load ${spec} exactly as ${same}: ${JSON.stringify(a)} vs ${JSON.stringify(b)}`,
    );
  }
  for (const { list, kind } of LIST_CASES) {
    const ours = [...list.flatMap((s) => checkHubbleMetricSpec(s)), ...checkHubbleMetricList(list)];
    const r = cilium(list);
    if (kind === 'accepted') {
      expectThat(
        ours.length === 0,
        `metrics: the checker refuses the list ${list.join(' ')}: ${ours.map((p) => p.message).join('; ')}`,
      );
      expectThat(
        r.error === undefined && r.skipped.length === 0 && r.handlers.length === list.length,
        `metrics: Cilium does not load the list ${list.join(' ')}: ${JSON.stringify(r)}`,
      );
    } else {
      expectThat(
        kindsOf(ours).has(kind),
        `metrics: the checker does not report the list ${list.join(' ')} as ${kind}`,
      );
      expectThat(
        r.error !== undefined,
        `metrics: Cilium loads the list ${list.join(' ')} although the checker says the agent fails`,
      );
    }
  }
}

function checkYaml(bin: string): void {
  const homelab = new CiliumHelmValues(
    new Chart(new App({ outdir: 'dist' }), 'homelab'),
    'cilium',
    HOMELAB_CILIUM_VALUES,
  );
  const annotations = Object.fromEntries(
    AMBIGUOUS_STRINGS.map((s, i) => [
      s === '' ? 'empty' : s,
      AMBIGUOUS_STRINGS[(i + 1) % AMBIGUOUS_STRINGS.length],
    ]),
  );
  const cases: Record<string, unknown>[] = [
    homelab.values,
    {
      podAnnotations: annotations,
      podLabels: { list: AMBIGUOUS_STRINGS.join(' ') },
      extraArgs: [...AMBIGUOUS_STRINGS],
    },
  ];
  const texts = [homelab.toYaml(), renderValuesYaml(cases[1], ['ambiguous strings'])];
  const parsed = runChecker(bin, [], texts).valuesFiles;
  cases.forEach((values, i) => {
    expectThat(
      isDeepStrictEqual(parsed[i], JSON.parse(JSON.stringify(values))),
      `yaml: Helm's YAML library reads values file ${i} differently: ${JSON.stringify(parsed[i]).slice(0, 400)}`,
    );
  });
}

function main(): number {
  let bin: string;
  try {
    checkGenerated();
    bin = buildChecker();
  } catch (error) {
    console.error(`check-against-cilium: ${(error as Error).message}`);
    return 2;
  }
  checkMetrics(bin);
  checkYaml(bin);
  for (const f of failures) console.error(`FAIL ${f}`);
  console.log(`helm against cilium: ${passed} passed, ${failures.length} failed`);
  return failures.length > 0 ? 1 : 0;
}

process.exitCode = main();
