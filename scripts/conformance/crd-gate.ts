/**
 * What the API server checks before the agent ever sees a policy: the 1.20 CRD's
 * `openAPIV3Schema` with its formats (`format: cidr`), unknown fields pruned (not rejected).
 * The oracle runs only the agent's checks; the engine models a real cluster (API server, then
 * agent), so the differential run removes policies this gate rejects from the oracle's input.
 */
import { isIP } from 'node:net';
import Ajv, { ValidateFunction } from 'ajv';
import {
  CRD_MATCH_NAME_PATTERN,
  CRD_MATCH_PATTERN_PATTERN,
  MATCH_NAME_RE,
  MATCH_PATTERN_RE,
} from '../../lib/cilium/fqdn';
import { policySchema } from '../../lib/manifest/crd-schema';

const validators = new Map<string, ValidateFunction>();

/** Go's `net.ParseCIDR`, which the API server's `format: cidr` uses: prefix notation, canonical IPv4 octets. */
export function isGoCidr(text: string): boolean {
  const slash = text.indexOf('/');
  if (slash < 0) return false;
  const ip = text.slice(0, slash);
  const bits = text.slice(slash + 1);
  if (!/^[0-9]{1,3}$/.test(bits)) return false;
  const family = isIP(ip);
  if (family === 4 && ip.split('.').some((o) => o.length > 1 && o.startsWith('0'))) return false;
  return family !== 0 && Number(bits) <= (family === 4 ? 32 : 128);
}

function jsPattern(pattern: string): string {
  if (pattern === CRD_MATCH_NAME_PATTERN) return MATCH_NAME_RE.source;
  if (pattern === CRD_MATCH_PATTERN_PATTERN) return MATCH_PATTERN_RE.source;
  return pattern.replace(/\\([pP])([A-Z])/g, '\\$1{$2}');
}

function convertPatterns(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(convertPatterns);
  if (!schema || typeof schema !== 'object') return schema;
  return Object.fromEntries(
    Object.entries(schema).map(([k, v]) => [
      k,
      k === 'pattern' && typeof v === 'string' ? jsPattern(v) : convertPatterns(v),
    ]),
  );
}

function validator(kind: string): ValidateFunction | undefined {
  let v = validators.get(kind);
  if (v) return v;
  const raw = policySchema(kind);
  if (!raw) return undefined;
  const schema = convertPatterns(raw) as { properties: Record<string, unknown> };
  schema.properties.metadata = { type: 'object' };
  const ajv = new Ajv({ allErrors: false, strict: false });
  ajv.addFormat('cidr', { type: 'string', validate: isGoCidr });
  for (const f of ['date-time', 'idn-hostname', 'int', 'int32', 'int64']) ajv.addFormat(f, true);
  v = ajv.compile(schema);
  validators.set(kind, v);
  return v;
}

/** The API server's reason to refuse the policy, or undefined when the CRD schema accepts it. */
export function crdRejection(manifest: Record<string, unknown>): string | undefined {
  const v = validator(String(manifest.kind));
  if (!v) return `no CRD for kind ${String(manifest.kind)}`;
  if (v(manifest)) return undefined;
  const e = v.errors?.[0];
  return e ? `${e.instancePath || '(root)'} ${e.message ?? e.keyword}` : 'rejected by the CRD schema';
}
