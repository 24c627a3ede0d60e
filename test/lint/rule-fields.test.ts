import * as path from 'path';
import { ALL_RULES, lintManifests, LintRule, renderFindingsJson } from '../../lib/lint';
import { loadManifestInputs } from '../../lib/manifest/load';

/**
 * A rule's `fields` let the linter skip it on policies without them: the skip must never change a
 * report. Every corpus is linted with the rules as written and with the same checks ungated.
 */
const CORPORA = [
  path.join(__dirname, '..', 'fixtures', 'lint'),
  path.join(__dirname, '..', 'fixtures', 'upstream-examples'),
  path.resolve(__dirname, '..', '..', '..', 'shared', 'realworld', 'policies'),
];

const ungated = (rule: LintRule): LintRule => ({
  id: rule.id,
  severity: rule.severity,
  title: rule.title,
  rationale: rule.rationale,
  examples: rule.examples,
  check: (ctx) => rule.check(ctx),
});

function report(dir: string, rules: readonly LintRule[]): string {
  const loaded = loadManifestInputs([dir]);
  return renderFindingsJson(lintManifests(loaded.manifests, { rules, skipped: loaded.skipped }));
}

const gated = ALL_RULES.filter((r) => r.fields !== undefined);

test('most rules that read specific fields say which', () => {
  expect(gated.length).toBeGreaterThan(20);
  for (const r of gated) expect(r.fields!.length).toBeGreaterThan(0);
});

test.each(CORPORA.map((dir) => [path.basename(dir), dir]))(
  'skipping rules by their fields changes nothing: %s',
  (_name, dir) => {
    const asWritten = report(dir, ALL_RULES);
    expect(JSON.parse(asWritten).findings.length).toBeGreaterThan(0);
    expect(asWritten).toBe(report(dir, ALL_RULES.map(ungated)));
  },
  120_000,
);

test('a rule gated on a field it does not read loses its findings (the comparison above can fail)', () => {
  const dir = CORPORA[0];
  const wrong = ALL_RULES.map((r) =>
    r.fields ? Object.assign(ungated(r), { fields: ['no-such-field'] }) : r,
  );
  expect(report(dir, wrong)).not.toBe(report(dir, ALL_RULES));
});
