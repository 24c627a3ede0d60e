import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'yaml';
import { buildProgram } from '../../lib/cli/main';

const CI = path.join(__dirname, '..', '..', 'examples', 'ci');
const TEMPLATES = ['github/cilium-lockdown.yml', 'gitlab/gitlab-ci.yml'];

/** Every `cilium-lockdown <command> --flag ...` call of a template, joined across line continuations. */
function calls(text: string): Array<{ command: string; flags: string[] }> {
  return text
    .replace(/\\\n\s*/g, ' ')
    .split('\n')
    .map((line) => /npx cilium-lockdown (\w+)(.*)$/.exec(line))
    .filter((m): m is RegExpExecArray => !!m)
    .map((m) => ({ command: m[1], flags: [...m[2].matchAll(/(?:^|\s)(--[a-z-]+)/g)].map((f) => f[1]) }));
}

describe('the CI templates (examples/ci)', () => {
  const program = buildProgram();

  test.each(TEMPLATES)('%s parses and calls the CLI with flags it has', (file) => {
    const text = fs.readFileSync(path.join(CI, file), 'utf8');
    expect(parse(text)).toBeInstanceOf(Object);
    const found = calls(text);
    expect(found.map((c) => c.command).sort()).toEqual(['diff', 'lint', 'rollout']);
    for (const call of found) {
      const command = program.commands.find((c) => c.name() === call.command)!;
      const known = command.options.map((o) => o.long);
      for (const flag of call.flags) expect(known).toContain(flag);
    }
  });

  test.each(TEMPLATES)('%s updates one comment found by a hidden marker', (file) => {
    const text = fs.readFileSync(path.join(CI, file), 'utf8');
    expect(text).toContain('COMMENT_MARKER: "<!-- cilium-lockdown:connectivity -->"');
    expect(text).toMatch(/startsWith\(env\.COMMENT_MARKER\)/i);
    expect(text).toMatch(/PATCH|'PUT'/);
  });
});
