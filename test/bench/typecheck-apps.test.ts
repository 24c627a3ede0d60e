import { execFileSync } from 'child_process';
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { consumer, PLUS_ONLY, ROOT, WITH_LIBRARY } from '../../bench/typecheck-apps';

/** The apps `npm run bench` type-checks compile against the built library (`test:slow` builds first). */
const work = mkdtempSync(join(tmpdir(), 'typecheck-apps-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function typeErrors(name: string, source: string): string {
  const dir = join(work, name);
  consumer(dir, source, false);
  try {
    execFileSync(
      process.execPath,
      [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '--noEmit', '-p', 'tsconfig.json'],
      {
        cwd: dir,
        encoding: 'utf8',
      },
    );
    return '';
  } catch (e) {
    return String((e as { stdout?: string }).stdout ?? e);
  }
}

it.each([
  ['cdk8s-plus alone', PLUS_ONLY],
  ['with this library', WITH_LIBRARY],
])(
  'the consumer app %s type-checks',
  (name, source) => {
    expect(typeErrors(name.replace(/\W+/g, '-'), source)).toBe('');
  },
  60_000,
);
