import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'yaml';
import { CCNP_KIND } from '../../manifest/types';
import { isObject, PlainObject } from './shape';

const CRD_FILES: Record<string, string> = {
  CiliumNetworkPolicy: 'ciliumnetworkpolicies.yaml',
  [CCNP_KIND]: 'ciliumclusterwidenetworkpolicies.yaml',
};
const CRD_DIR = path.join('imports', 'cilium', '1.20');

const cache = new Map<string, PlainObject | undefined>();

/** Finds the package's `imports/cilium/1.20` (from lib/ in the repo or build/lib/ when installed). */
function crdDir(): string | undefined {
  let dir = __dirname;
  for (let i = 0; i < 8; i++) {
    const candidate = path.join(dir, CRD_DIR);
    if (fs.existsSync(candidate)) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return undefined;
}

/** The openAPIV3Schema of the 1.20 CRD for a policy kind, or undefined when unavailable. */
export function policySchema(kind: string): PlainObject | undefined {
  if (cache.has(kind)) return cache.get(kind);
  let schema: PlainObject | undefined;
  const file = CRD_FILES[kind];
  const dir = crdDir();
  if (file && dir) {
    const crd = parse(fs.readFileSync(path.join(dir, file), 'utf8')) as PlainObject;
    const versions = (crd.spec as PlainObject | undefined)?.versions;
    const v2 = Array.isArray(versions) ? versions.find((v) => isObject(v) && v.name === 'v2') ?? versions[0] : undefined;
    const s = isObject(v2) && isObject(v2.schema) ? v2.schema.openAPIV3Schema : undefined;
    schema = isObject(s) ? s : undefined;
  }
  cache.set(kind, schema);
  return schema;
}
