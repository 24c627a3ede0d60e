import * as fs from 'fs';
import * as path from 'path';
import { ReplayInputError } from '../replay/replay-input-error';
import { writeFileAtomic } from '../manifest/write-atomic';

/**
 * Makes sure `--output-dir` can take the files before any work is done: created if missing,
 * refused (exit 2) when it is a file or cannot be written to.
 */
export function prepareOutputDir(dir: string): string {
  const resolved = path.resolve(dir);
  try {
    fs.mkdirSync(resolved, { recursive: true });
  } catch (e) {
    throw new ReplayInputError(
      `--output-dir ${dir}: cannot create the directory (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`,
    );
  }
  if (!fs.statSync(resolved).isDirectory())
    throw new ReplayInputError(`--output-dir ${dir}: not a directory`);
  try {
    fs.accessSync(resolved, fs.constants.W_OK);
  } catch {
    throw new ReplayInputError(`--output-dir ${dir}: the directory is not writable`);
  }
  return resolved;
}

/**
 * Writes `files` into `dir`, each through a temporary file renamed into place; a name that
 * would land outside the directory (or in a subdirectory) is refused before anything is written.
 */
export function writeFilesInto(
  dir: string,
  files: ReadonlyArray<{ readonly file: string; readonly text: string }>,
): string[] {
  const root = prepareOutputDir(dir);
  const targets = files.map(({ file }) => {
    const target = path.resolve(root, file);
    if (path.dirname(target) !== root || path.basename(target) !== file) {
      throw new ReplayInputError(
        `refusing to write ${JSON.stringify(file)}: the name would leave --output-dir ${dir}`,
      );
    }
    return target;
  });
  files.forEach(({ text }, i) => writeFileAtomic(targets[i], text));
  return targets.map((t) => path.join(dir, path.basename(t)));
}
