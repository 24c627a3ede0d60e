import * as fs from 'fs';
import * as os from 'os';

/** Reads a file's text, or undefined when it cannot be read. */
export type ReadText = (file: string) => string | undefined;

const readText: ReadText = (file) => {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
};

/**
 * The CPUs the container's CPU quota gives (cgroup v2 `cpu.max`, or v1 `cpu.cfs_quota_us` over
 * `cpu.cfs_period_us`), rounded up; undefined without a quota. A pod with `limits.cpu: 1` on a
 * 64-core node sees 64 cores in `os.availableParallelism()` but may run on one.
 */
export function cpuQuota(read: ReadText = readText): number | undefined {
  const v2 = read('/sys/fs/cgroup/cpu.max')?.trim().split(/\s+/);
  if (v2) return quotaOf(v2[0], v2[1]);
  return quotaOf(read('/sys/fs/cgroup/cpu/cpu.cfs_quota_us'), read('/sys/fs/cgroup/cpu/cpu.cfs_period_us'));
}

function quotaOf(quota: string | undefined, period: string | undefined): number | undefined {
  const q = Number(quota?.trim());
  const p = Number(period?.trim());
  if (!(q > 0) || !(p > 0)) return undefined;
  return Math.max(1, Math.ceil(q / p));
}

/** The cores this process may run on: its CPU affinity, within the container's CPU quota. */
export function availableCores(read: ReadText = readText): number {
  const quota = cpuQuota(read);
  const cores = os.availableParallelism();
  return quota === undefined ? cores : Math.min(cores, quota);
}
