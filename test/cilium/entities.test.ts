import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'yaml';
import {
  AGENT_ENTITY_NAMES,
  CRD_ENTITY_NAMES,
  entityForReserved,
  isCrdEntityName,
  RESERVED_ENTITY_LABELS,
} from '../../lib/cilium/entities';

describe('2 entities', () => {
  test('CRD_ENTITY_NAMES is the enum of the shipped 1.20 CRD', () => {
    const file = path.join(__dirname, '..', '..', 'imports', 'cilium', '1.20', 'ciliumnetworkpolicies.yaml');
    const crd = parse(fs.readFileSync(file, 'utf8'));
    const ingress =
      crd.spec.versions[0].schema.openAPIV3Schema.properties.spec.properties.ingress.items.properties;
    expect([...CRD_ENTITY_NAMES].sort()).toEqual([...ingress.fromEntities.items.enum].sort());
  });
  test('the agent also knows the family worlds and cluster-mesh, the CRD does not', () => {
    for (const e of ['world-ipv4', 'world-ipv6', 'cluster-mesh']) {
      expect(AGENT_ENTITY_NAMES).toContain(e);
      expect(isCrdEntityName(e)).toBe(false);
    }
    for (const e of CRD_ENTITY_NAMES) expect(AGENT_ENTITY_NAMES).toContain(e);
    expect(RESERVED_ENTITY_LABELS.world).toEqual(['world', 'world-ipv4', 'world-ipv6']);
  });
  test.each([
    [['kube-apiserver', 'remote-node'], 'kube-apiserver'],
    [['host', 'kube-apiserver'], 'kube-apiserver'],
    [['host'], 'host'],
    [['world-ipv4'], 'world'],
    [['remote-node'], 'remote-node'],
    [['health'], 'health'],
    [['something-else'], undefined],
    [[], undefined],
  ])('narrowest entity for reserved %j is %s', (keys, want) => expect(entityForReserved(keys)).toBe(want));
});
