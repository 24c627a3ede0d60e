import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/** A temporary directory for one test file (removed after it) and a writer of flow export files in it. */
export function tempFlows(prefix: string): { dir: () => string; flowsFile: (lines: string[]) => string } {
  let dir = '';
  let n = 0;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  return {
    dir: () => dir,
    flowsFile: (lines) => {
      const file = path.join(dir, `flows-${n++}.jsonl`);
      fs.writeFileSync(file, `${lines.join('\n')}\n`);
      return file;
    },
  };
}
