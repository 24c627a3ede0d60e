import { compareStrings } from '../util/order';

/** Rendered items without duplicates, in a canonical order (by their JSON), so output never depends on input order. */
export function uniqueSorted<T>(items: readonly T[]): T[] {
  if (items.length < 2) return [...items];
  const byKey = new Map(items.map((i) => [JSON.stringify(i), i]));
  return [...byKey.keys()].sort(compareStrings).map((k) => byKey.get(k)!);
}

/** Rendered items without duplicates, first occurrence kept. */
export function unique<T>(items: readonly T[]): T[] {
  if (items.length < 2) return [...items];
  return [...new Map(items.map((i) => [JSON.stringify(i), i])).values()];
}
