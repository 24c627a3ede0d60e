/**
 * Flat memory at any size: replays N generated lines in one run and reports the replay
 * process's peak RSS (target: under 300 MB at 10M lines). Measured by hand, not in unit tests:
 *
 *   npx tsx bench/replay-rss.ts [lines=10000000] [--jobs N]
 *
 * A generator process streams the homelab's synthetic export, every line turned into a new
 * connection, into `cilium-lockdown replay --flows -` (through a pipe, with backpressure: nothing
 * is written to disk); `/usr/bin/time` reports the replay process's maximum resident set size.
 * The CLI runs compiled, as installed (`tsc -p tsconfig.build.json` into `build/` first): under
 * tsx every thread would also hold the TypeScript loader and the compiled sources (about 75 MiB
 * more with two worker threads).
 */
import { execFileSync, spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { syntheticExport } from '../scripts/gen-hubble-export';
import { everyLineNewConnection } from './replay-workload';
import { defaultJobs } from '../lib/replay/chunk-workers';

const ROOT = path.join(__dirname, '..');

async function generate(count: number): Promise<void> {
  let batch: string[] = [];
  for (const line of everyLineNewConnection(syntheticExport(count, 3))) {
    batch.push(line);
    if (batch.length === 2000) {
      if (!process.stdout.write(`${batch.join('\n')}\n`))
        await new Promise((r) => process.stdout.once('drain', r));
      batch = [];
    }
  }
  if (batch.length) process.stdout.write(`${batch.join('\n')}\n`);
}

/** Compiles the CLI as `npm run build` would, into `build/`. */
function compiledCli(): string {
  execFileSync(path.join(ROOT, 'node_modules', '.bin', 'tsc'), ['-p', 'tsconfig.build.json'], {
    cwd: ROOT,
    stdio: 'inherit',
  });
  const cli = path.join(ROOT, 'build', 'lib', 'cli', 'main.js');
  if (!fs.existsSync(cli)) throw new Error(`${cli}: not built`);
  return cli;
}

/** `--jobs N` passed on to replay (default: replay's own, the number of cores). */
function jobsArgs(): string[] {
  const i = process.argv.indexOf('--jobs');
  return i >= 0 && process.argv[i + 1] ? ['--jobs', process.argv[i + 1]] : [];
}

async function main(): Promise<void> {
  const count = Number(
    process.argv.slice(2).find((a, i, all) => /^\d+$/.test(a) && all[i - 1] !== '--jobs') ?? 10_000_000,
  );
  if (process.argv.includes('--generate')) return generate(count);
  const cli = compiledCli();
  const tsx = path.join(ROOT, 'node_modules', '.bin', 'tsx');
  const started = Date.now();
  const gen = spawn(tsx, [__filename, String(count), '--generate'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const replay = spawn(
    '/usr/bin/time',
    [
      '-f',
      'peak-rss-kib %M cpu-s %U+%S',
      process.execPath,
      cli,
      'replay',
      '--policies',
      path.join(ROOT, 'test', 'fixtures', 'hubble', 'homelab-policies.yaml'),
      '--flows',
      '-',
      '--format',
      'json',
      ...jobsArgs(),
    ],
    { stdio: ['pipe', 'pipe', 'pipe'] },
  );
  gen.stdout.pipe(replay.stdin);
  let out = '';
  let err = '';
  replay.stdout.on('data', (d) => (out += d));
  replay.stderr.on('data', (d) => (err += d));
  const code = await new Promise<number>((resolve) => replay.on('close', (c) => resolve(c ?? -1)));
  const doc = JSON.parse(out);
  const rss = Number(/peak-rss-kib (\d+)/.exec(err)?.[1] ?? NaN) / 1024;
  console.log(
    `replayed ${doc.summary.lines.toLocaleString('en-US')} lines (${doc.summary.evaluated.toLocaleString('en-US')} evaluated, ${doc.summary.malformed} malformed, ${doc.summary.groups} groups) in ${((Date.now() - started) / 1000).toFixed(0)} s, exit ${code}`,
  );
  const jobs = jobsArgs()[1] ?? `${defaultJobs()} (the default)`;
  console.log(
    `replay process, --jobs ${jobs}: ${err.trim().split('\n').pop()}; peak RSS ${rss.toFixed(0)} MiB (target: under 300 MB = 286 MiB)`,
  );
  if (!(rss < 286)) process.exitCode = 1;
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
