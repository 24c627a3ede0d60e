import * as fs from 'fs';
import * as path from 'path';
import { lintManifests, LintFinding } from '../../lib/lint';
import { loadManifestInputs } from '../../lib/manifest/load';

/**
 * The shared real-world corpus (839 policies from 41 public repositories), linted once per
 * repository as a user would lint a checkout, against the reviewed judgements of its errors.
 */
const REALWORLD = path.resolve(__dirname, '..', '..', '..', 'shared', 'realworld');
const POLICIES = path.join(REALWORLD, 'policies');

interface Judgement {
  readonly repo: string;
  readonly rule: string;
  readonly file: string;
  readonly path: string;
  readonly verdict: string;
  readonly reason: string;
}

const key = (file: string, rule: string, at: string): string => `${path.basename(file)} ${rule} ${at}`;

function lintPerRepository(): { errors: LintFinding[]; all: LintFinding[]; policies: number } {
  const byRepo = new Map<string, string[]>();
  for (const f of fs.readdirSync(POLICIES).sort()) {
    const [owner, repo] = f.split('__');
    const id = `${owner}/${repo}`;
    (byRepo.get(id) ?? byRepo.set(id, []).get(id)!).push(path.join(POLICIES, f));
  }
  const all: LintFinding[] = [];
  let policies = 0;
  for (const files of byRepo.values()) {
    const loaded = loadManifestInputs(files);
    const report = lintManifests(loaded.manifests, { skipped: loaded.skipped });
    policies += report.summary.policies;
    all.push(...report.findings);
  }
  return { errors: all.filter((f) => f.severity === 'error'), all, policies };
}

const describeIfCorpus = fs.existsSync(POLICIES) ? describe : describe.skip;

describeIfCorpus('the real-world corpus, one lint run per repository', () => {
  const judgements: Judgement[] = JSON.parse(
    fs.readFileSync(path.join(REALWORLD, 'judgements', 'error-judgements.json'), 'utf8'),
  );
  const { errors, all, policies } = lintPerRepository();
  const found = new Set(errors.map((f) => key(f.file!, f.rule, f.path)));

  it('reads every policy of every repository', () => {
    expect(policies).toBe(839);
  });

  it('gives no error a judgement marks false', () => {
    const falseOnes = judgements.filter((j) => j.verdict === 'FP' && found.has(key(j.file, j.rule, j.path)));
    expect(falseOnes.map((j) => `${j.file} ${j.rule} ${j.path}: ${j.reason}`)).toEqual([]);
  });

  it('still finds every true error', () => {
    const missing = judgements.filter(
      (j) => j.verdict.startsWith('TP') && !found.has(key(j.file, j.rule, j.path)),
    );
    expect(missing.map((j) => `${j.file} ${j.rule} ${j.path}`)).toEqual([]);
  });

  it('reports unrendered substitutions once per policy instead of invalid-value errors', () => {
    const placeholders = judgements.filter((j) => j.verdict === 'placeholder');
    expect(placeholders.length).toBe(40);
    expect(
      placeholders.filter((j) => found.has(key(j.file, j.rule, j.path))).map((j) => `${j.file} ${j.path}`),
    ).toEqual([]);
    const warned = new Set(
      all.filter((f) => f.rule === 'unrendered-substitution').map((f) => path.basename(f.file!)),
    );
    for (const j of placeholders) expect(warned).toContain(path.basename(j.file));
  });

  it('reports only reviewed errors beyond the judged ones', () => {
    const judged = new Set(judgements.map((j) => key(j.file, j.rule, j.path)));
    const count: Record<string, number> = {};
    for (const f of errors)
      if (!judged.has(key(f.file!, f.rule, f.path))) count[f.rule] = (count[f.rule] ?? 0) + 1;
    // Reviewed: two policies pasted into one document (duplicate-key), `toFQDNs: {matchNames: [...]}` and
    // the Kafka rules 1.20 no longer has (crd-schema), a CCNP without apiVersion, and tutorial steps that
    // reuse one kind/namespace/name with different rules (duplicate-policy: applied together, one is lost).
    expect(count).toEqual({
      'crd-schema': 1,
      'duplicate-key': 4,
      'duplicate-policy': 28,
      'invalid-api-version': 1,
    });
  });
});
