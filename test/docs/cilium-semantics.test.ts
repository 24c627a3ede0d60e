import * as fs from 'fs';
import * as path from 'path';

/**
 * docs/cilium-semantics.md ships with the package, and comments, lint rationales and messages cite
 * its sections by heading: every cited heading must exist, and no text may cite material users
 * don't have.
 */
const ROOT = path.join(__dirname, '..', '..');
const DOC = 'docs/cilium-semantics.md';

function filesUnder(dir: string): string[] {
  return fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((e) => {
    const rel = path.join(dir, e.name);
    if (e.isDirectory()) return filesUnder(rel);
    return /\.(ts|md)$/.test(e.name) ? [rel] : [];
  });
}

const headings = fs
  .readFileSync(path.join(ROOT, DOC), 'utf8')
  .split('\n')
  .filter((l) => /^#{2,3} /.test(l))
  .map((l) => l.replace(/^#+ /, ''));
const sources = [...filesUnder('lib'), ...filesUnder('docs'), 'README.md'].sort();

/** The headings a text cites, as `docs/cilium-semantics.md, "A", "B" and "C"` (comments may wrap). */
function citedHeadings(text: string): string[] {
  const flat = text.replace(/\n\s*(\*|\/\/)?\s*/g, ' ');
  const cited: string[] = [];
  const citation = /docs\/cilium-semantics\.md,\s*((?:"[^"]+")(?:(?:,|,? and|,? to)\s*"[^"]+")*)/g;
  for (const m of flat.matchAll(citation)) {
    for (const q of m[1].matchAll(/"([^"]+)"/g)) cited.push(q[1]);
  }
  return cited;
}

describe(DOC, () => {
  it('has unique section headings', () => {
    expect(new Set(headings).size).toBe(headings.length);
  });

  it('is cited by existing section headings only', () => {
    const missing: string[] = [];
    let citations = 0;
    for (const file of sources) {
      for (const h of citedHeadings(fs.readFileSync(path.join(ROOT, file), 'utf8'))) {
        citations++;
        if (!headings.includes(h)) missing.push(`${file}: "${h}"`);
      }
    }
    expect(missing).toEqual([]);
    expect(citations).toBeGreaterThan(100);
  });

  it('is the only Cilium semantics reference the shipped text cites', () => {
    const offenders = sources.filter((f) =>
      /semantics note|\bthe seed\b|seed's/i.test(fs.readFileSync(path.join(ROOT, f), 'utf8')),
    );
    expect(offenders).toEqual([]);
  });

  it('ships with the package and is linked from the README', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { files: string[] };
    expect(pkg.files).toContain(DOC);
    expect(fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8')).toContain(
      `](https://github.com/cdk8s-cilium-lockdown/cdk8s-cilium-lockdown/blob/main/${DOC})`,
    );
  });
});
