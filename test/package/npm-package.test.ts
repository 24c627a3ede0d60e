import * as fs from 'fs';
import * as path from 'path';

const ROOT = path.join(__dirname, '..', '..');
const REPOSITORY = 'https://github.com/cdk8s-cilium-lockdown/cdk8s-cilium-lockdown';
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');

/** Link and image targets of the README's Markdown links, anchors left out. */
function readmeLinkTargets(): string[] {
  return [...readme.matchAll(/\]\(([^)\s]+)\)/g)]
    .map((m) => m[1])
    .filter((target) => !target.startsWith('#'));
}

describe('the npm package', () => {
  it('names its repository, homepage and issue tracker', () => {
    expect(pkg.repository).toEqual({ type: 'git', url: `${REPOSITORY}.git` });
    expect(pkg.homepage).toBe(`${REPOSITORY}#readme`);
    expect(pkg.bugs).toEqual({ url: `${REPOSITORY}/issues` });
  });

  it('runs no script when it is installed', () => {
    for (const hook of ['preinstall', 'install', 'postinstall', 'prepare'])
      expect(pkg.scripts[hook]).toBeUndefined();
  });

  it('ships no source maps (they would point at sources the package does not ship)', () => {
    expect(pkg.files).toContain('!build/**/*.map');
  });

  it("links the README with absolute URLs; the repository's files it links exist in this checkout", () => {
    const targets = readmeLinkTargets();
    const repositoryFiles = targets.flatMap((target) => {
      const file = new RegExp(`^${REPOSITORY}/(?:blob|raw|tree)/main/(.+)$`).exec(target);
      return file ? [{ target, file: file[1] }] : [];
    });
    expect(repositoryFiles.length).toBeGreaterThan(0);
    expect(targets.filter((target) => !/^https:\/\//.test(target))).toEqual([]);
    const missing = repositoryFiles.filter(({ file }) => !fs.existsSync(path.join(ROOT, file)));
    expect(missing).toEqual([]);
  });
});
