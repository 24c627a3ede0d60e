import * as fs from 'fs';
import * as path from 'path';

const ROOT = path.join(__dirname, '..', '..');

/** `name==version` lines of examples/python/requirements.txt. */
function pythonPins(): Map<string, string> {
  const text = fs.readFileSync(path.join(ROOT, 'examples', 'python', 'requirements.txt'), 'utf8');
  const pins = new Map<string, string>();
  for (const line of text.split('\n').map((l) => l.trim())) {
    if (!line || line.startsWith('#')) continue;
    const pin = /^([A-Za-z0-9_.-]+)==(\S+)$/.exec(line);
    expect({ line, pinned: Boolean(pin) }).toEqual({ line, pinned: true });
    pins.set(pin![1].toLowerCase(), pin![2]);
  }
  return pins;
}

function lockedVersion(name: string): string {
  const lock = JSON.parse(fs.readFileSync(path.join(ROOT, 'package-lock.json'), 'utf8'));
  const entry = lock.packages[`node_modules/${name}`];
  if (!entry) throw new Error(`${name} is not in package-lock.json`);
  return entry.version;
}

describe('examples/python/requirements.txt', () => {
  it('pins cdk8s, constructs and cdk8s-plus-28 to the npm lockfile, the jsii runtime to jsii-pacmak', () => {
    const pins = pythonPins();
    expect({
      cdk8s: pins.get('cdk8s'),
      constructs: pins.get('constructs'),
      'cdk8s-plus-28': pins.get('cdk8s-plus-28'),
      jsii: pins.get('jsii'),
    }).toEqual({
      cdk8s: lockedVersion('cdk8s'),
      constructs: lockedVersion('constructs'),
      'cdk8s-plus-28': lockedVersion('cdk8s-plus-28'),
      jsii: lockedVersion('jsii-pacmak'),
    });
  });
});
