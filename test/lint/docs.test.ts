import * as fs from 'fs';
import * as path from 'path';
import { ALL_RULES } from '../../lib/lint';
import { renderLintRulesDoc } from '../../lib/lint/docs';

describe('docs/lint-rules.md', () => {
  const committed = fs.readFileSync(path.join(__dirname, '..', '..', 'docs', 'lint-rules.md'), 'utf8');

  it('is exactly what `npm run docs:lint` generates (regenerate it after changing a rule)', () => {
    expect(committed).toBe(renderLintRulesDoc());
  });

  it('documents every rule with its severity and a bad and a good example', () => {
    for (const r of ALL_RULES) {
      const start = committed.indexOf(`### \`${r.id}\``);
      expect(start).toBeGreaterThan(0);
      const section = committed.slice(start, committed.indexOf('\n### ', start + 1) >>> 0);
      expect(section).toContain(`**${r.severity}**`);
      expect(section).toContain('Reported:');
      expect(section).toContain('Fixed:');
      expect(section).toContain('kind: Cilium');
    }
  });
});
