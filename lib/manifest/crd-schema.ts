import type { ErrorObject, ValidateFunction } from 'ajv';
import { parse } from 'yaml';
import {
  CRD_MATCH_NAME_PATTERN,
  CRD_MATCH_PATTERN_PATTERN,
  MATCH_NAME_RE,
  MATCH_PATTERN_RE,
} from '../cilium/fqdn';
import { readCiliumFile } from './cilium-files';
import { asArray, asObject, isObject } from '../util/shape';
import { joinPath } from './yaml-source';
import { CCNP_KIND, CNP_KIND, KubeManifest } from './types';

const CRD_FILES: Record<string, string> = {
  [CNP_KIND]: 'ciliumnetworkpolicies.yaml',
  [CCNP_KIND]: 'ciliumclusterwidenetworkpolicies.yaml',
};

/** One schema violation, with the JSON path inside the object. */
export interface SchemaProblem {
  /** Field path in the linter's notation (`spec.endpointSelector.matchLabels["app.kubernetes.io/name"]`). */
  readonly path: string;
  readonly message: string;
  /** The JSON-schema keyword that failed (`type`, `enum`, `additionalProperties`, `maxItems`...). */
  readonly keyword?: string;
}

const schemas = new Map<string, Record<string, unknown>>();

/** The `openAPIV3Schema` of the shipped 1.20 CRD for a policy kind (as written), or undefined for other kinds. */
export function policySchema(kind: string): Record<string, unknown> | undefined {
  const file = CRD_FILES[kind];
  if (!file) return undefined;
  let schema = schemas.get(kind);
  if (!schema) {
    const versions = asArray(asObject(asObject(parse(readCiliumFile(file))).spec).versions).filter(isObject);
    const version = versions.find((v) => v.name === 'v2') ?? versions[0];
    schema = asObject(asObject(version?.schema).openAPIV3Schema);
    schemas.set(kind, schema);
  }
  return schema;
}

/**
 * Validates a CNP/CCNP against the Cilium 1.20 CRD's `openAPIV3Schema`, as the API server would,
 * except that unknown fields are rejected instead of silently pruned.
 */
export function validateAgainstCrd(manifest: KubeManifest): SchemaProblem[] {
  return crdSchemaProblems(manifest).map(({ path, message }) => ({ path, message }));
}

/** {@link validateAgainstCrd} with the failing JSON-schema keyword of each problem. */
export function crdSchemaProblems(manifest: KubeManifest): SchemaProblem[] {
  const validate = validatorFor(String(manifest.kind));
  if (!validate) return [{ path: 'kind', message: `no CRD schema for kind ${manifest.kind}` }];
  if (validate(manifest)) return [];
  return (validate.errors ?? [])
    .map(toProblem)
    .sort((a, b) => (a.path + a.message).localeCompare(b.path + b.message));
}

/** The policy kinds with a CRD schema, in the order their validators are generated. */
export const CRD_POLICY_KINDS: readonly string[] = Object.keys(CRD_FILES);

/**
 * The schema a policy kind is validated against: the CRD's, with unknown fields rejected, the
 * patterns in JavaScript's syntax and without the descriptions (they never change a verdict).
 * scripts/crd/gen-validators.ts compiles it ahead of time into crd-validators.generated.ts.
 */
export function validationSchema(kind: string): Record<string, unknown> | undefined {
  const crdSchema = policySchema(kind);
  if (!crdSchema) return undefined;
  const schema = asObject(strictObjects(crdSchema));
  // metadata is validated by the API server's ObjectMeta, not the CRD schema.
  schema.properties = { ...asObject(schema.properties), metadata: { type: 'object' } };
  return schema;
}

/** The options the validators are compiled with. */
export const VALIDATOR_OPTIONS = { allErrors: true, strict: false, validateFormats: false } as const;

let generated: Record<string, ValidateFunction> | undefined;

function validatorFor(kind: string): ValidateFunction | undefined {
  if (!CRD_FILES[kind]) return undefined;
  // Loaded on first use: code that most commands never run.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  generated ??= require('./crd-validators.generated') as Record<string, ValidateFunction>;
  return generated[kind];
}

function mapValues(o: Record<string, unknown>, f: (v: unknown) => unknown): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, f(v)]));
}

/** Rejects unknown fields wherever the schema lists properties and does not preserve unknown ones. */
function strictObjects(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(strictObjects);
  if (!isObject(schema)) return schema;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(schema)) {
    if (k === 'properties' && isObject(v)) out[k] = mapValues(v, strictObjects);
    else if (k === 'description' && typeof v === 'string') continue;
    else out[k] = k === 'pattern' && typeof v === 'string' ? goToJsPattern(v) : strictObjects(v);
  }
  if (
    out.type === 'object' &&
    out.properties &&
    out.additionalProperties === undefined &&
    !out['x-kubernetes-preserve-unknown-fields']
  ) {
    out.additionalProperties = false;
  }
  return out;
}

/**
 * Go's one-letter Unicode classes (`\\PC`) are written `\\P{C}` in JavaScript. The FQDN patterns
 * are swapped for their linear-time equivalents (Go's RE2 never backtracks; JavaScript would).
 */
function goToJsPattern(pattern: string): string {
  if (pattern === CRD_MATCH_NAME_PATTERN) return MATCH_NAME_RE.source;
  if (pattern === CRD_MATCH_PATTERN_PATTERN) return MATCH_PATTERN_RE.source;
  return pattern.replace(/\\([pP])([A-Z])/g, '\\$1{$2}');
}

function toProblem(e: ErrorObject): SchemaProblem {
  const segments = e.instancePath
    .split('/')
    .slice(1)
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  const path = segments.reduce<string>((at, seg) => joinPath(at, /^\d+$/.test(seg) ? Number(seg) : seg), '');
  const detail =
    e.keyword === 'additionalProperties'
      ? `unknown field \`${String(e.params.additionalProperty)}\` (the API server would silently drop it)`
      : e.keyword === 'enum'
        ? `${e.message}: ${asArray(e.params.allowedValues).join(', ')}`
        : (e.message ?? e.keyword);
  return { path: path || '(root)', message: detail, keyword: e.keyword };
}
