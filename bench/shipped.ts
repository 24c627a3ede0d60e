/**
 * The library as its users run it: the compiled package in `build/lib` (`npm run build`), not
 * tsx's transform of the TypeScript sources. tsx turns every export into a getter, so each call
 * across modules costs more than in the package users install (about 18% of a 5,000-app synth,
 * measured A/B in one process). `npm run bench` builds first; a build older than the sources is
 * refused, so a bench never measures stale code.
 */
import * as fs from 'fs';
import * as path from 'path';

const ROOT = path.join(__dirname, '..');
const BUILD = path.join(ROOT, 'build', 'lib');
let checked = false;

/** `module` (e.g. `'engine/engine'`) from the compiled library, typed as its source. */
export function shipped<T>(module: string): T {
  if (!checked) {
    assertBuildCurrent();
    checked = true;
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(path.join(BUILD, module)) as T;
}

function assertBuildCurrent(): void {
  const built = newest(BUILD, '.js');
  const source = newest(path.join(ROOT, 'lib'), '.ts');
  if (built === 0 || source > built) {
    const why = built === 0 ? 'is missing' : 'is older than lib/';
    console.error(`bench: ${BUILD} ${why}; run \`npm run build\` first (npm run bench does)`);
    process.exit(2);
  }
}

/** The latest modification time of the files ending in `ext` under `dir` (0 when there are none). */
function newest(dir: string, ext: string): number {
  if (!fs.existsSync(dir)) return 0;
  let latest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) latest = Math.max(latest, newest(p, ext));
    else if (entry.name.endsWith(ext)) latest = Math.max(latest, fs.statSync(p).mtimeMs);
  }
  return latest;
}
