/**
 * A type with its properties writable: for building a readonly result property by property, in
 * order (on hot paths, where a spread followed by more properties is slow; see DEVELOPMENT.md).
 */
export type Writable<T> = { -readonly [K in keyof T]: T[K] };
