/** `1 flow`, `12,345 flows`, `2 policies`: a count (grouped in thousands) and the word agreeing with it. */
export function plural(n: number, one: string, many = pluralOf(one)): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
}

/** `policy` -> `policies`, `flow` -> `flows`, `key` -> `keys`. */
function pluralOf(word: string): string {
  return /[^aeiou]y$/.test(word) ? `${word.slice(0, -1)}ies` : `${word}s`;
}
