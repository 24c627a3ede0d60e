/**
 * Replay throughput as a ratio to the floor measured in the same run, memory, and the speedup of
 * `--jobs N` (worker threads) as a ratio to the speedup the machine gives the floor itself.
 *
 *   npx tsx bench/replay.bench.ts [lines=300000] [--keep]
 *
 * For each case a gzip-compressed `hubble observe -o json` export is generated into a temp
 * directory; the floor is gunzip + line split + JSON.parse of that file (nothing else; both
 * decompress in 256 KiB blocks, several times cheaper than Node's 16 KiB default), and replay
 * must reach at least half of its throughput (CPU time, so a busy machine does not skew
 * the ratio; both measured after a warm-up run, best of three interleaved runs each, the replay
 * with a freshly loaded engine). Cases: the homelab policies on the homelab's traffic; the same with every line a
 * new connection; 5,000 policies across 1,000 namespaces with every line a new connection.
 * The 10M-line flat-memory check is `npx tsx bench/replay-rss.ts` (see its header). The library
 * measured is the compiled package, as users run it (`npm run build` first; see bench/shipped.ts).
 *
 * Threads: on the homelab export with every line a new connection, replay at the default `--jobs`
 * (one thread per core; nothing to compare on one core) against one thread, in wall time; the floor is run the same way
 * (one copy per thread at once), so a machine busy with other work lowers both; each is the best
 * of three interleaved runs. Replay's speedup must be at least 80% of the floor's (near-linear in
 * the cores the machine really gives).
 */
import * as fs from 'fs';
import * as os from 'os';
import { Worker } from 'worker_threads';
import * as path from 'path';
import * as zlib from 'zlib';
import type * as EngineModule from '../lib/engine/engine';
import type * as LineReaderModule from '../lib/hubble/line-reader';
import type * as LoadModule from '../lib/manifest/load';
import { KubeManifest } from '../lib/manifest/types';
import type * as ReplayModule from '../lib/replay/replay';
import type * as ReplayEngineModule from '../lib/replay/replay-engine';
import type * as ChunkWorkersModule from '../lib/replay/chunk-workers';
import { syntheticExport, writeExport } from '../scripts/gen-hubble-export';
import { everyLineNewConnection, largeClusterExport, largeClusterPolicies } from './replay-workload';
import { shipped } from './shipped';
import { checkTargets } from './targets';

const { PolicyEngine } = shipped<typeof EngineModule>('engine/engine');
const { GUNZIP_CHUNK_BYTES, openFlowInput } = shipped<typeof LineReaderModule>('hubble/line-reader');
const { loadManifests } = shipped<typeof LoadModule>('manifest/load');
const { replayFlows } = shipped<typeof ReplayModule>('replay/replay');
const { ReplayEngine } = shipped<typeof ReplayEngineModule>('replay/replay-engine');
const { defaultJobs } = shipped<typeof ChunkWorkersModule>('replay/chunk-workers');

const HOMELAB_POLICIES = path.join(__dirname, '..', 'test', 'fixtures', 'hubble', 'homelab-policies.yaml');
const MIN_RATIO = 0.5;
const MIN_SPEEDUP_RATIO = 0.8;

type Target = { name: string; value: number; limit: number; kind: 'min' | 'max' };

/**
 * Each throughput is measured this many times, floor and replay interleaved, and the least CPU
 * of each is kept: other work on the machine only ever adds time, and both sides get the same
 * treatment. Peak heap is the first run's (later runs would count the garbage of earlier ones).
 */
const RUNS = 3;

/** The floor as source code for a worker thread (plain JavaScript: no TypeScript runner needed). */
const FLOOR_WORKER = `
const fs = require('fs'); const zlib = require('zlib'); const { parentPort, workerData } = require('worker_threads');
(async () => {
  let pending = ''; let lines = 0;
  for await (const chunk of fs.createReadStream(workerData, { highWaterMark: 256 * 1024 }).pipe(zlib.createGunzip({ chunkSize: ${GUNZIP_CHUNK_BYTES} }))) {
    const text = pending + chunk.toString('utf8'); let start = 0;
    for (let nl = text.indexOf('\\n'); nl !== -1; nl = text.indexOf('\\n', start)) { JSON.parse(text.slice(start, nl)); lines++; start = nl + 1; }
    pending = text.slice(start);
  }
  parentPort.postMessage(lines);
})();`;

/** Wall seconds for `copies` floors of the file at once, one per thread. */
async function parallelFloor(file: string, copies: number): Promise<number> {
  const start = process.hrtime.bigint();
  await Promise.all(
    Array.from(
      { length: copies },
      () =>
        new Promise<void>((resolve, reject) => {
          const w = new Worker(FLOOR_WORKER, { eval: true, workerData: file });
          w.once('message', () => void w.terminate().then(() => resolve()));
          w.once('error', reject);
        }),
    ),
  );
  return Number(process.hrtime.bigint() - start) / 1e9;
}

async function wallReplay(
  file: string,
  manifests: KubeManifest[],
  jobs: number,
): Promise<{ seconds: number; threads: number }> {
  const start = process.hrtime.bigint();
  const result = await replayFlows(
    await openFlowInput(file),
    new ReplayEngine(manifests, { policyAuditMode: false }),
    {
      jobs,
    },
  );
  return { seconds: Number(process.hrtime.bigint() - start) / 1e9, threads: result.threads ?? 0 };
}

/** `--jobs N` against one thread, each as a ratio to the floor run the same way. */
async function threadsCase(name: string, file: string, manifests: KubeManifest[]): Promise<Target[]> {
  const jobs = defaultJobs();
  if (jobs < 2) {
    console.log(`\n${name}: one core, --jobs defaults to 1: no speedup to measure`);
    return [];
  }
  await wallReplay(file, manifests, jobs); // warm-up (JIT, the workers' first start)
  // Best of RUNS interleaved runs of each, as for throughput: other work only ever adds time.
  let one = { seconds: Infinity, threads: 0 };
  let many = { seconds: Infinity, threads: 0 };
  let floorOne = Infinity;
  let floorMany = Infinity;
  for (let run = 0; run < RUNS; run++) {
    const oneRun = await wallReplay(file, manifests, 1);
    if (oneRun.seconds < one.seconds) one = oneRun;
    const manyRun = await wallReplay(file, manifests, jobs);
    if (manyRun.seconds < many.seconds) many = manyRun;
    floorOne = Math.min(floorOne, await parallelFloor(file, 1));
    floorMany = Math.min(floorMany, await parallelFloor(file, jobs));
  }
  // N copies of the floor in the time of `floorMany`: the parallel speedup the machine gives now.
  const floorSpeedup = (jobs * floorOne) / floorMany;
  const speedup = one.seconds / many.seconds;
  console.log(`\n${name}, --jobs ${jobs} (the default: ${many.threads} threads) against 1, wall time:`);
  console.log(
    `  replay: ${one.seconds.toFixed(1)} s -> ${many.seconds.toFixed(1)} s = ${speedup.toFixed(2)}x; floor run ${jobs} times at once: ${floorSpeedup.toFixed(2)}x`,
  );
  console.log(
    `  replay --jobs ${jobs} reads ${((floorOne / many.seconds) * 100).toFixed(0)}% of the one-thread floor's lines per second`,
  );
  if (many.threads !== jobs)
    throw new Error(`${name}: --jobs ${jobs} started ${many.threads} worker threads`);
  return [
    {
      name: `${name}: --jobs ${jobs} (the default) speedup, % of the floor's speedup on this machine now`,
      value: (speedup / floorSpeedup) * 100,
      limit: MIN_SPEEDUP_RATIO * 100,
      kind: 'min',
    },
  ];
}

function cpuSeconds(start: NodeJS.CpuUsage): number {
  const d = process.cpuUsage(start);
  return (d.user + d.system) / 1e6;
}

/** gunzip + line split + JSON.parse of every line: what any reader of the file must do. */
async function floor(file: string): Promise<{ seconds: number; lines: number }> {
  const cpu = process.cpuUsage();
  let lines = 0;
  let pending = '';
  let sink = 0;
  for await (const chunk of fs
    .createReadStream(file, { highWaterMark: 256 * 1024 })
    .pipe(zlib.createGunzip({ chunkSize: GUNZIP_CHUNK_BYTES }))) {
    const text = pending + (chunk as Buffer).toString('utf8');
    let start = 0;
    for (let nl = text.indexOf('\n'); nl !== -1; nl = text.indexOf('\n', start)) {
      const value = JSON.parse(text.slice(start, nl));
      if (value.flow) sink++;
      lines++;
      start = nl + 1;
    }
    pending = text.slice(start);
  }
  if (sink < 0) throw new Error('unreachable');
  return { seconds: cpuSeconds(cpu), lines };
}

async function runCase(name: string, file: string, manifests: KubeManifest[] | string): Promise<Target[]> {
  const loaded = typeof manifests === 'string' ? loadManifests([manifests]) : manifests;
  const t = process.hrtime.bigint();
  const engine = PolicyEngine.fromManifests(loaded, { policyAuditMode: false });
  const loadMs = Number(process.hrtime.bigint() - t) / 1e6;
  // Warm both paths once (JIT), then measure each RUNS times, interleaved; each measured replay
  // gets a fresh engine (cold caches), loaded before the clock starts.
  await floor(file);
  await replayFlows(await openFlowInput(file), engine);
  let f = { seconds: Infinity, lines: 0 };
  let seconds = Infinity;
  let peakHeap = 0;
  let result: Awaited<ReturnType<typeof replayFlows>> | undefined;
  for (let run = 0; run < RUNS; run++) {
    const floorRun = await floor(file);
    if (floorRun.seconds < f.seconds) f = floorRun;
    const fresh = PolicyEngine.fromManifests(loaded, { policyAuditMode: false });
    result = undefined;
    const cpu = process.cpuUsage();
    result = await replayFlows(await openFlowInput(file), fresh, {
      onProgress: () => {
        if (run === 0) peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
      },
    });
    seconds = Math.min(seconds, cpuSeconds(cpu));
  }
  const s = result!.summary;
  const ratio = s.lines / seconds / (f.lines / f.seconds);
  console.log(
    `\n${name}: ${loaded.length.toLocaleString('en-US')} policies (loaded in ${loadMs.toFixed(0)} ms), ${s.lines.toLocaleString('en-US')} lines, ${(fs.statSync(file).size / 1048576).toFixed(1)} MiB gzip`,
  );
  console.log(
    `  floor (gunzip + split + JSON.parse): ${Math.round(f.lines / f.seconds).toLocaleString('en-US')} lines/s of CPU`,
  );
  console.log(
    `  replay: ${Math.round(s.lines / seconds).toLocaleString('en-US')} lines/s of CPU = ${(ratio * 100).toFixed(0)}% of the floor`,
  );
  console.log(
    `  evaluated ${s.evaluated.toLocaleString('en-US')}, skipped ${s.skipped.toLocaleString('en-US')}, malformed ${s.malformed}, groups ${s.groups}, would drop ${s.wouldDrop}; peak heap ${(peakHeap / 1048576).toFixed(0)} MiB`,
  );
  if (s.malformed)
    throw new Error(
      `${name}: the generated export has malformed lines: ${JSON.stringify(s.malformedLines.slice(0, 3))}`,
    );
  return [
    {
      name: `${name}: replay throughput, % of the floor`,
      value: ratio * 100,
      limit: MIN_RATIO * 100,
      kind: 'min',
    },
    { name: `${name}: peak heap during replay (MiB)`, value: peakHeap / 1048576, limit: 256, kind: 'max' },
  ];
}

async function main(): Promise<void> {
  const count = Number(process.argv.slice(2).find((a) => /^\d+$/.test(a)) ?? 300_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'replay-bench-'));
  try {
    const homelab = path.join(dir, 'homelab.jsonl.gz');
    const fresh = path.join(dir, 'homelab-new-connections.jsonl.gz');
    const large = path.join(dir, 'large-cluster.jsonl.gz');
    await writeExport(homelab, syntheticExport(count, 1), true);
    await writeExport(fresh, everyLineNewConnection(syntheticExport(count, 2)), true);
    await writeExport(large, largeClusterExport(count, 1000), true);
    const targets = [
      ...(await runCase('homelab policies', homelab, HOMELAB_POLICIES)),
      ...(await runCase('homelab policies, every line a new connection', fresh, HOMELAB_POLICIES)),
      ...(await runCase(
        '5,000 policies in 1,000 namespaces, every line a new connection',
        large,
        largeClusterPolicies(1000),
      )),
      ...(await threadsCase(
        'homelab policies, every line a new connection',
        fresh,
        loadManifests([HOMELAB_POLICIES]).map((m) => m.manifest),
      )),
    ];
    console.log(`\npeak RSS of the process: ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`);
    checkTargets(targets);
  } finally {
    if (!process.argv.includes('--keep')) fs.rmSync(dir, { recursive: true, force: true });
    else console.log(`kept ${dir}`);
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
