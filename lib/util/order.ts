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

/**
 * Sorts `list` in code-unit order in place, as `list.sort()` does, without the work array
 * `sort` allocates: objects' key lists are short, and sorting them is done per object written.
 */
export function sortStringsInPlace(list: string[]): string[] {
  if (list.length > 16) return list.sort();
  for (let i = 1; i < list.length; i++) {
    const item = list[i];
    let j = i - 1;
    while (j >= 0 && list[j] > item) {
      list[j + 1] = list[j];
      j--;
    }
    list[j + 1] = item;
  }
  return list;
}
