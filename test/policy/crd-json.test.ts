import { readFileSync } from 'fs';
import { join } from 'path';
import * as cnp from '../../imports/cilium-network-policy-cilium.io';
import { CRD_FIELD_NAMES, crdJson, LABEL_MAP_FIELDS } from '../../lib/policy/crd-json';

const GENERATED = [
  'cilium-network-policy-cilium.io.ts',
  'cilium-clusterwide-network-policy-cilium.io.ts',
].map((f) => readFileSync(join(__dirname, '../../imports', f), 'utf8'));

/** Each `'crdName': ... obj.l1Name ...` line of the generated converters. */
function converterFields(): Array<{ crd: string; l1: string; line: string }> {
  return GENERATED.flatMap((source) =>
    [...source.matchAll(/^ {4}'([^']+)': (.*obj\.(\w+).*)$/gm)].map((m) => ({
      crd: m[1],
      l1: m[3],
      line: m[2],
    })),
  );
}

describe('the CRD JSON of rules rendered in the generated L1 types', () => {
  test('renames exactly the fields the generated converters rename', () => {
    const renamed = new Map(
      converterFields()
        .filter((f) => f.crd !== f.l1)
        .map((f) => [f.l1, f.crd]),
    );
    expect(renamed.size).toBeGreaterThan(0);
    expect(new Map([...renamed].sort())).toEqual(new Map([...CRD_FIELD_NAMES].sort()));
  });

  test('keeps the keys of every field the generated converters copy as a map', () => {
    const maps = new Set(
      converterFields()
        .filter((f) => f.line.includes('Object.entries('))
        .map((f) => f.crd),
    );
    expect(maps.size).toBeGreaterThan(0);
    for (const field of maps) expect(LABEL_MAP_FIELDS).toContain(field);
  });

  test('renames struct fields, never label keys; unwraps int-or-string; drops null; sorts keys', () => {
    expect(
      crdJson({
        toFqdNs: [{ matchName: 'a.example' }],
        toCidrSet: [{ cidr: '10.0.0.0/8', except: undefined }],
        toEndpoints: [{ matchLabels: { toCidrSet: 'x', app: 'a' } }],
        icmps: [{ fields: [{ type: cnp.CiliumNetworkPolicySpecIngressIcmpsFieldsType.fromNumber(8) }] }],
        description: null,
      }),
    ).toEqual({
      icmps: [{ fields: [{ type: 8 }] }],
      toCIDRSet: [{ cidr: '10.0.0.0/8' }],
      toEndpoints: [{ matchLabels: { app: 'a', toCidrSet: 'x' } }],
      toFQDNs: [{ matchName: 'a.example' }],
    });
    expect(Object.keys(crdJson({ toFqdNs: [], toEndpoints: [], toCidrSet: [] }) as object)).toEqual([
      'toCIDRSet',
      'toEndpoints',
      'toFQDNs',
    ]);
  });

  test('refuses what is not plain data', () => {
    expect(() => crdJson({ description: new Map() })).toThrow();
    expect(() => crdJson({ description: () => 'x' })).toThrow();
  });
});
