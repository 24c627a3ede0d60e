import * as fc from 'fast-check';
import {
  compileMatchName,
  compileMatchPattern,
  CRD_MATCH_NAME_PATTERN,
  CRD_MATCH_PATTERN_PATTERN,
  exampleName,
  fqdnSelectorMatches,
  isMatchAllPattern,
  isValidMatchName,
  isValidMatchPattern,
  MATCH_NAME_RE,
  MATCH_PATTERN_RE,
  normalizeDnsName,
  wildcardApex,
} from '../../lib/cilium/fqdn';
import { validateAgainstCrd } from '../../lib/manifest/crd-schema';

describe('4.1 matchPattern', () => {
  const m = (pattern: string, name: string) => compileMatchPattern(pattern)(normalizeDnsName(name));
  test.each([
    ['*.github.com', 'api.github.com', true],
    ['*.github.com', 'github.com', false],
    ['*.github.com', 'a.b.github.com', false],
    ['**.github.com', 'a.b.github.com', true],
    ['**.github.com', 'github.com', false],
    ['***.github.com', 'a.b.github.com', true],
    ['a.**.com', 'a.x.com', true],
    ['a.**.com', 'a.x.y.com', false],
    ['sub.**.io', 'sub.x.io', true],
    ['sub.**.io', 'sub.x.y.io', false],
    ['*github.com', 'github.com', true],
    ['*github.com', 'xgithub.com', true],
    ['*github.com', 'api.github.com', false],
    ['part*ial.com', 'partial.com', true],
    ['part*ial.com', 'part-extra-ial.com', true],
    ['*', 'anything.at.all', true],
    ['**', 'x', true],
    ['*.', 'x.y', true],
    ['*.GitHub.COM.', 'API.github.com', true],
    ['GitHub.COM', 'github.com', true],
    ['*.github.com', 'api_x.github.com', true],
    ['*.github.com', 'apixgithub.com', false],
    ['*.github.com', 'api.github.com.', true],
  ])('%s vs %s -> %s', (pattern, name, want) => expect(m(pattern, name)).toBe(want));

  test('all-star patterns match everything', () => {
    for (const p of ['*', '**', '*.', '***.']) expect(isMatchAllPattern(p)).toBe(true);
    for (const p of ['*.com', 'a*', '*.*']) expect(isMatchAllPattern(p)).toBe(false);
  });
});

describe('4.1 matchName', () => {
  test('is exact, case-insensitive, trailing dot optional', () => {
    expect(compileMatchName('API.GitHub.com.')(normalizeDnsName('api.github.com'))).toBe(true);
    expect(compileMatchName('github.com')(normalizeDnsName('api.github.com'))).toBe(false);
  });
  test('selector items', () => {
    expect(fqdnSelectorMatches({ matchName: 'GitHub.com.' }, 'github.com')).toBe(true);
    expect(fqdnSelectorMatches({ matchName: 'github.com' }, 'api.github.com')).toBe(false);
    expect(fqdnSelectorMatches({ matchPattern: '*.github.com' }, 'API.github.com')).toBe(true);
    expect(fqdnSelectorMatches({}, 'github.com')).toBe(false);
  });
});

describe('5 FQDN validation', () => {
  test.each([
    ['api.github.com', true, true],
    ['api.github.com.', true, true],
    ['a_b-c.d', true, true],
    ['*.github.com', false, true],
    ['', false, false],
    ['.github.com', false, false],
    ['a..b', false, false],
    ['https://github.com', false, false],
    ['github.com:443', false, false],
    ['a b', false, false],
    ['x'.repeat(255), true, true],
    ['x'.repeat(256), false, false],
  ])('%j: name %s, pattern %s', (s, name, pattern) => {
    expect(isValidMatchName(s)).toBe(name);
    expect(isValidMatchPattern(s)).toBe(pattern);
  });

  test('the linear regexes accept exactly what the CRD patterns accept', () => {
    const crdName = new RegExp(CRD_MATCH_NAME_PATTERN);
    const crdPattern = new RegExp(CRD_MATCH_PATTERN_PATTERN);
    const text = fc.string({ unit: fc.constantFrom('a', 'Z', '0', '-', '_', '.', '*', '/'), maxLength: 12 });
    fc.assert(
      fc.property(
        text,
        (s) => MATCH_NAME_RE.test(s) === crdName.test(s) && MATCH_PATTERN_RE.test(s) === crdPattern.test(s),
      ),
    );
  });

  test('no exponential backtracking on long invalid names', () => {
    expect(isValidMatchName(`${'a'.repeat(200)}..`)).toBe(false);
    expect(isValidMatchPattern(`${'*'.repeat(200)}..`)).toBe(false);
  });
});

describe('apex and examples', () => {
  test.each([
    ['*.github.com', 'github.com'],
    ['**.GitHub.com.', 'github.com'],
    ['*.com', 'com'],
    ['api.github.com', undefined],
    ['*', undefined],
    ['*.*.com', undefined],
    ['a*.github.com', undefined],
  ])('apex of %s is %s', (pattern, apex) => expect(wildcardApex(pattern)).toBe(apex));

  test.each([
    ['*.github.com', 'api.github.com'],
    ['**.github.com', 'api.github.com'],
    ['api-*.example.com.', 'api-x.example.com'],
    ['*', 'www.example.com'],
    ['a.*.com', 'a.x.com'],
  ])('example name of %s is %s, which it matches', (pattern, name) => {
    expect(exampleName(pattern)).toBe(name);
    expect(fqdnSelectorMatches({ matchPattern: pattern }, name)).toBe(true);
  });
});

describe('the CRD schema check uses the linear patterns', () => {
  test('a long invalid matchName is rejected (the CRD form would backtrack for hours)', () => {
    const policy = {
      apiVersion: 'cilium.io/v2',
      kind: 'CiliumNetworkPolicy',
      metadata: { name: 'p', namespace: 'n' },
      spec: { endpointSelector: {}, egress: [{ toFQDNs: [{ matchName: `${'a'.repeat(60)}..` }] }] },
    };
    expect(validateAgainstCrd(policy).map((p) => p.path)).toContain('spec.egress[0].toFQDNs[0].matchName');
  });
});
