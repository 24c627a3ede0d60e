import * as fs from 'fs';
import * as path from 'path';
import { buildProgram } from '../../lib/cli/main';

describe('cilium-lockdown --version', () => {
  it("prints package.json's version", () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8'));
    const program = buildProgram();
    let printed = '';
    program.configureOutput({ writeOut: (text) => (printed += text) });
    program.exitOverride();
    expect(() => program.parse(['node', 'cilium-lockdown', '--version'])).toThrow(manifest.version);
    expect(printed).toBe(`${manifest.version}\n`);
  });
});
