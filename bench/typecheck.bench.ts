/**
 * Type-check cost for users: `npx tsx bench/typecheck.bench.ts`.
 * Builds the library's declarations, then type-checks (`tsc --noEmit`) two small consumer apps
 * that differ only in their policy: one written with cdk8s-plus alone (a NetworkPolicy), one
 * locking the same app down with this library's `IngressOnlyApp`. Reports the CPU seconds of
 * both (best of a few runs, with and without `skipLibCheck`) and their ratio.
 */
import { execFileSync } from 'child_process';
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { checkTargets } from './targets';
import { consumer, PLUS_ONLY, ROOT, WITH_LIBRARY } from './typecheck-apps';

const TSC = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
const RUNS = Number(process.argv[2] ?? 3);

/** CPU seconds (user + system) of one `tsc --noEmit` in `dir`, best of RUNS. */
function typecheck(dir: string): number {
  let best = Infinity;
  for (let i = 0; i < RUNS; i++) {
    const out = execFileSync(
      'bash',
      [
        '-c',
        `TIMEFORMAT='%U %S'; { time node ${JSON.stringify(TSC)} --noEmit -p tsconfig.json >/dev/null; } 2>&1`,
      ],
      { cwd: dir, encoding: 'utf8' },
    );
    const [user, sys] = out.trim().split(/\s+/).slice(-2).map(Number);
    best = Math.min(best, user + sys);
  }
  return best;
}

function main(): void {
  execFileSync('npm', ['run', '--silent', 'build'], { cwd: ROOT, stdio: 'inherit' });
  const work = mkdtempSync(join(tmpdir(), 'typecheck-bench-'));
  try {
    const targets = [];
    for (const skipLibCheck of [false, true]) {
      const plus = join(work, `plus-${skipLibCheck}`);
      const lib = join(work, `lib-${skipLibCheck}`);
      consumer(plus, PLUS_ONLY, skipLibCheck);
      consumer(lib, WITH_LIBRARY, skipLibCheck);
      const floor = typecheck(plus);
      const ours = typecheck(lib);
      console.log(
        `tsc --noEmit (skipLibCheck ${skipLibCheck}): with the library ${ours.toFixed(2)} s CPU vs cdk8s-plus only ${floor.toFixed(2)} s CPU = ${(ours / floor).toFixed(2)}x`,
      );
      targets.push({
        name: `type-check cost, skipLibCheck ${skipLibCheck} (x100, vs cdk8s-plus only)`,
        value: (ours / floor) * 100,
        limit: 125,
        kind: 'max' as const,
      });
    }
    checkTargets(targets);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

main();
