import * as fs from 'fs';
import * as path from 'path';
import { renderLintRulesDoc } from '../lib/lint/docs';

/** Writes docs/lint-rules.md from the rule metadata. */
const target = path.join(__dirname, '..', 'docs', 'lint-rules.md');
fs.writeFileSync(target, renderLintRulesDoc());
process.stdout.write(`wrote ${path.relative(process.cwd(), target)}\n`);
