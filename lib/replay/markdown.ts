/**
 * Escaping for text from flows and manifests (labels, names, reasons) in markdown meant for a
 * PR comment: nothing in the input may become HTML, a link, a mention, emphasis or a table cell break.
 */
export function mdText(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/@/g, '&#64;')
    .replace(/[\\`*_[\]|~]/g, (c) => `\\${c}`)
    .replace(/\r?\n|\r/g, ' ');
}

/** Inline code that stays code whatever it holds (backticks, pipes, HTML). */
export function mdCode(text: string): string {
  const escaped = text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\|/g, '&#124;')
    .replace(/`/g, '&#96;')
    .replace(/@/g, '&#64;')
    .replace(/\r?\n|\r/g, ' ');
  return `<code>${escaped}</code>`;
}
