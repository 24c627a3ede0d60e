import * as os from 'os';
import { availableCores, cpuQuota, ReadText } from '../../lib/replay/cores';

/** A file system holding only `files`. */
const only =
  (files: Record<string, string>): ReadText =>
  (file) =>
    files[file];

describe('the cores replay --jobs uses by default', () => {
  test('cgroup v2 cpu.max: the quota over the period, rounded up; "max" is no quota', () => {
    expect(cpuQuota(only({ '/sys/fs/cgroup/cpu.max': '150000 100000\n' }))).toBe(2);
    expect(cpuQuota(only({ '/sys/fs/cgroup/cpu.max': '100000 100000\n' }))).toBe(1);
    expect(cpuQuota(only({ '/sys/fs/cgroup/cpu.max': '20000 100000\n' }))).toBe(1);
    expect(cpuQuota(only({ '/sys/fs/cgroup/cpu.max': 'max 100000\n' }))).toBeUndefined();
  });

  test('cgroup v1 cfs quota and period; -1 is no quota', () => {
    const v1 = (quota: string) =>
      only({
        '/sys/fs/cgroup/cpu/cpu.cfs_quota_us': quota,
        '/sys/fs/cgroup/cpu/cpu.cfs_period_us': '100000\n',
      });
    expect(cpuQuota(v1('400000\n'))).toBe(4);
    expect(cpuQuota(v1('-1\n'))).toBeUndefined();
    expect(cpuQuota(only({}))).toBeUndefined();
  });

  test('the quota lowers the cores the process may run on, never raises them', () => {
    const cores = os.availableParallelism();
    expect(availableCores(only({}))).toBe(cores);
    expect(availableCores(only({ '/sys/fs/cgroup/cpu.max': '100000 100000' }))).toBe(1);
    expect(availableCores(only({ '/sys/fs/cgroup/cpu.max': `${(cores + 8) * 100000} 100000` }))).toBe(cores);
  });
});
