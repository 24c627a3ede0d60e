/** Markdown that shows user text literally, in a GitHub or GitLab comment and inside table cells. */

const ESCAPED = /[\\`*_[\]|~<>&@$]/g;
const ENTITIES: Readonly<Record<string, string>> = { '<': '&lt;', '>': '&gt;', '&': '&amp;' };

/** Plain text inside a line: emphasis, code, links, tables, mentions, math escaped; HTML as entities. */
export function mdText(text: string): string {
  return text.replace(/\r?\n/g, ' ').replace(ESCAPED, (c) => ENTITIES[c] ?? `\\${c}`);
}

/** A code span that survives backticks and table pipes in its text. */
export function mdCode(text: string): string {
  const body = text.replace(/\r?\n/g, ' ').replace(/\|/g, '\\|');
  const runs = body.match(/`+/g) ?? [];
  const fence = '`'.repeat(Math.max(0, ...runs.map((r) => r.length)) + 1);
  const pad = body.startsWith('`') || body.endsWith('`') || runs.length > 0 ? ' ' : '';
  return `${fence}${pad}${body}${pad}${fence}`;
}
