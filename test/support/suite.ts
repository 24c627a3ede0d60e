/**
 * The fast suite (`npm test`) and the full one (`npm run test:slow`, which sets the jest global
 * CILIUM_LOCKDOWN_FULL_SUITE) share the sampled test files of test/support/suites.js.
 */
export function fullSuite(): boolean {
  return (globalThis as { CILIUM_LOCKDOWN_FULL_SUITE?: boolean }).CILIUM_LOCKDOWN_FULL_SUITE === true;
}

/** Every item in the full suite; in the fast one, `count` evenly spaced items, always the first and the last. */
export function sample<T>(items: readonly T[], count: number): T[] {
  if (fullSuite() || items.length <= count) return [...items];
  if (count < 2) throw new Error(`sample: count must be at least 2, got ${count}`);
  const step = (items.length - 1) / (count - 1);
  return Array.from({ length: count }, (_, i) => items[Math.round(i * step)]);
}

/** A count (fast-check `numRuns`, loop rounds): `full` in the full suite, `quick` in the fast one. */
export function suiteSize(full: number, quick: number): number {
  return fullSuite() ? full : quick;
}

/**
 * `describe` in the full suite. In the fast one the body is not even run (it may create temporary
 * files or start builds); one skipped test stands for it in the report.
 */
export function describeInFullSuite(name: string, body: () => void): void {
  if (fullSuite()) describe(name, body);
  else describe(name, () => test.skip('runs in `npm run test:slow` only', () => undefined));
}
