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

  it("links the README to the repository's files with absolute URLs that exist in this checkout", () => {
    const targets = readmeLinkTargets();
    expect(targets.length).toBeGreaterThan(0);
    for (const target of targets) {
      const file =
        /^https:\/\/github\.com\/cdk8s-cilium-lockdown\/cdk8s-cilium-lockdown\/(?:blob|raw)\/main\/(.+)$/.exec(
          target,
        );
      expect({ target, inRepository: Boolean(file) }).toEqual({ target, inRepository: true });
      expect({ target, exists: fs.existsSync(path.join(ROOT, file![1])) }).toEqual({ target, exists: true });
    }
  });
});
