/**
 * Replay throughput and memory on a large synthetic export.
 *
 *   npx tsx bench/replay.bench.ts [lines=2000000] [--keep]
 *
 * Generates a gzip-compressed `hubble observe -o json` export with scripts/gen-hubble-export.ts
 * (deterministic seed) in a temp directory, replays it against the homelab policy fixture,
 * and prints lines/s and peak RSS. Memory should stay flat whatever the line count.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { PolicyEngine } from '../lib/engine/engine';
import { openFlowInput } from '../lib/hubble/line-reader';
import { loadManifests } from '../lib/manifest/load';
import { replayFlows } from '../lib/replay/replay';
import { syntheticExport, writeExport } from '../scripts/gen-hubble-export';
import { checkTargets } from './targets';

async function main(): Promise<void> {
  const count = Number(process.argv.slice(2).find((a) => /^\d+$/.test(a)) ?? 2_000_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'replay-bench-'));
  const file = path.join(dir, 'flows.jsonl.gz');
  try {
    let t = Date.now();
    await writeExport(file, syntheticExport(count, 1), true);
    const size = fs.statSync(file).size;
    console.log(`generated ${count.toLocaleString('en-US')} lines, ${(size / 1048576).toFixed(1)} MiB gzip, in ${((Date.now() - t) / 1000).toFixed(1)} s`);
    const rssBefore = process.memoryUsage().rss;
    const engine = PolicyEngine.fromManifests(loadManifests([path.join(__dirname, '..', 'test', 'fixtures', 'hubble', 'homelab-policies.yaml')]), { policyAuditMode: false });
    let peakHeap = 0;
    t = Date.now();
    const result = await replayFlows(await openFlowInput(file), engine, {
      onProgress: () => {
        peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
      },
    });
    const seconds = (Date.now() - t) / 1000;
    const s = result.summary;
    console.log(`replayed ${s.lines.toLocaleString('en-US')} lines in ${seconds.toFixed(1)} s: ${Math.round(s.lines / seconds).toLocaleString('en-US')} lines/s`);
    console.log(`  evaluated ${s.evaluated.toLocaleString('en-US')}, skipped ${s.skipped.toLocaleString('en-US')}, malformed ${s.malformed}, groups ${s.groups}, would drop ${s.wouldDrop}`);
    console.log(`  RSS before replay ${(rssBefore / 1048576).toFixed(0)} MiB, peak RSS of the process ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB, peak heap used during replay ${(peakHeap / 1048576).toFixed(0)} MiB`);
    checkTargets([
      { name: 'replay throughput (lines/s)', value: s.lines / seconds, limit: 10_000, kind: 'min' },
      // Flat memory: the heap must not grow with the export (groups and samples are bounded).
      { name: 'peak heap during replay (MiB)', value: peakHeap / 1048576, limit: 256, kind: 'max' },
    ]);
  } finally {
    if (!process.argv.includes('--keep')) fs.rmSync(dir, { recursive: true, force: true });
    else console.log(`kept ${file}`);
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
