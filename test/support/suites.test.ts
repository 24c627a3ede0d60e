import * as fs from 'fs';
import * as path from 'path';

const ROOT = path.join(__dirname, '..', '..');
// a CommonJS file, read by the jest configs too
const { SAMPLED, SLOW_ONLY } = require('./suites') as { SAMPLED: string[]; SLOW_ONLY: string[] };

describe('suite selection (test/support/suites.js)', () => {
  it('names only test files that exist, each once', () => {
    const listed = [...SLOW_ONLY, ...SAMPLED];
    expect(listed.filter((f) => !fs.existsSync(path.join(ROOT, f)))).toEqual([]);
    expect(new Set(listed).size).toBe(listed.length);
  });

  it('lists as sampled only files that read the fast/full switch', () => {
    const blind = SAMPLED.filter((f) => !/from '\.\.\/support\/suite'/.test(readText(f)));
    expect(blind).toEqual([]);
  });
});

function readText(file: string): string {
  return fs.readFileSync(path.join(ROOT, file), 'utf8');
}
