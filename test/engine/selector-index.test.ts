/** The selector index may only skip items whose selectors cannot match, and keeps item order. */
import { Identity } from '../../lib/engine/identity';
import { CompiledSelector, parseLabelSelector, SelectorRegistry } from '../../lib/engine/selector';
import { SelectorIndex } from '../../lib/engine/selector-index';

let seed = 7;
function rand(n: number): number {
  seed = (seed * 1103515245 + 12345) & 0x7fffffff;
  return seed % n;
}

const KEYS = ['app', 'tier', 'k8s:io.kubernetes.pod.namespace', 'any:team', 'k8s:role'];
const VALUES = ['a', 'b', 'c', ''];

function randomSelector(registry: SelectorRegistry): CompiledSelector {
  const matchLabels: Record<string, string> = {};
  const matchExpressions: Array<Record<string, unknown>> = [];
  for (let i = rand(3); i > 0; i--) matchLabels[KEYS[rand(KEYS.length)]] = VALUES[rand(VALUES.length)];
  for (let i = rand(3); i > 0; i--) {
    const operator = ['In', 'NotIn', 'Exists', 'DoesNotExist'][rand(4)];
    const values =
      operator === 'In' || operator === 'NotIn'
        ? [...new Set([VALUES[rand(3)], VALUES[rand(3)]])]
        : undefined;
    matchExpressions.push({ key: KEYS[rand(KEYS.length)], operator, ...(values ? { values } : {}) });
  }
  return registry.intern(parseLabelSelector({ matchLabels, matchExpressions }));
}

function randomIdentity(): Identity {
  const labels = KEYS.filter(() => rand(2) === 0).map(
    (k) =>
      `${k.includes(':') && !k.startsWith('any:') ? k : `k8s:${k.replace(/^any:/, '')}`}=${VALUES[rand(VALUES.length)]}`,
  );
  if (rand(5) === 0) labels.push('reserved:world');
  return new Identity(labels, 'default');
}

test('candidates are every item some selector of which matches, in item order', () => {
  const registry = new SelectorRegistry();
  const items: Array<readonly CompiledSelector[] | undefined> = Array.from({ length: 300 }, () =>
    rand(10) === 0 ? undefined : Array.from({ length: rand(3) }, () => randomSelector(registry)),
  );
  const index = new SelectorIndex(items.length, (i) => items[i]);
  let matched = 0;
  for (let n = 0; n < 300; n++) {
    const id = randomIdentity();
    const candidates = index.candidates(id);
    expect([...candidates].sort((a, b) => a - b)).toEqual(candidates);
    expect(new Set(candidates).size).toBe(candidates.length);
    const expected = items
      .map((sels, i) => (sels === undefined || sels.some((s) => s.matches(id)) ? i : -1))
      .filter((i) => i >= 0);
    expect(candidates.filter((i) => items[i] === undefined || items[i]!.some((s) => s.matches(id)))).toEqual(
      expected,
    );
    matched += expected.length;
  }
  // The generator must produce matches, or the test proves nothing.
  expect(matched).toBeGreaterThan(1000);
});

test('an item whose selectors all require a label the identity lacks is not a candidate', () => {
  const registry = new SelectorRegistry();
  const web = registry.intern(parseLabelSelector({ matchLabels: { app: 'web' } }));
  const db = registry.intern(
    parseLabelSelector({ matchLabels: { 'k8s:io.kubernetes.pod.namespace': 'prod', app: 'db' } }),
  );
  const all = registry.intern(parseLabelSelector({}));
  const items = [[web], [db], [all], undefined, [web, db], []];
  const index = new SelectorIndex(items.length, (i) => items[i]);
  expect(
    index.candidates(new Identity(['k8s:io.kubernetes.pod.namespace=prod', 'k8s:app=web'], 'default')),
  ).toEqual([0, 2, 3, 4]);
  expect(
    index.candidates(new Identity(['k8s:io.kubernetes.pod.namespace=prod', 'k8s:app=db'], 'default')),
  ).toEqual([1, 2, 3, 4]);
  expect(index.candidates(new Identity(['reserved:world'], 'default'))).toEqual([2, 3]);
});
