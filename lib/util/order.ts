/**
 * Code-unit order (`'B' < 'a'`), independent of locale, as Go's `sort.Strings` orders the ASCII
 * names Cilium sorts: every report and manifest this package writes sorts with it, so output is
 * byte-identical across machines and runs.
 */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Orders `[key, value]` entries by key (`Object.entries(x).sort(byKey)`). */
export function byKey(a: readonly [string, unknown], b: readonly [string, unknown]): number {
  return compareStrings(a[0], b[0]);
}
