/**
 * Rebuilds the generated files the Helm values checker reads from Cilium v1.20.0's own source:
 *
 *   imports/cilium/1.20/hubble-metrics.json  Hubble metric handlers and options (pkg/hubble/metrics)
 *   imports/cilium/1.20/chart-keys.json      the values keys the chart's templates read
 *
 *   tsx scripts/helm/derive-from-cilium.ts           write them
 *   tsx scripts/helm/derive-from-cilium.ts --check   exit 1 when a committed file differs
 *
 * The source comes from the Go module cache, downloaded with `go mod download` when missing.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ciliumSource, derive, REPO_ROOT } from './cilium-source';

export const GENERATED = [
  { file: 'hubble-metrics.json', what: 'hubble-metrics', dir: (src: string) => src },
  {
    file: 'chart-keys.json',
    what: 'chart-keys',
    dir: (src: string) => path.join(src, 'install', 'kubernetes', 'cilium'),
  },
] as const;

function main(): number {
  const check = process.argv.includes('--check');
  const src = ciliumSource();
  let stale = 0;
  for (const { file, what, dir } of GENERATED) {
    const target = path.join(REPO_ROOT, 'imports', 'cilium', '1.20', file);
    const text = derive(what, dir(src));
    const current = fs.existsSync(target) ? fs.readFileSync(target, 'utf8') : undefined;
    if (current === text) {
      console.log(`${file}: up to date`);
    } else if (check) {
      console.error(
        `${file}: differs from what scripts/helm/derive-from-cilium.ts derives from ${src}. Fix: run it without --check and review the diff`,
      );
      stale++;
    } else {
      fs.writeFileSync(target, text);
      console.log(`${file}: written`);
    }
  }
  return stale > 0 ? 1 : 0;
}

if (require.main === module) {
  try {
    process.exitCode = main();
  } catch (error) {
    console.error(`derive-from-cilium: ${(error as Error).message}`);
    process.exitCode = 2;
  }
}
