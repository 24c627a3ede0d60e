/** The CRD schema validators are compiled ahead of time: current, and judging exactly as ajv compiling the schema at run time. */
import { existsSync, readdirSync, readFileSync } from 'fs';
import { join, resolve } from 'path';
import Ajv, { ErrorObject } from 'ajv';
import { CRD_POLICY_KINDS, validationSchema, VALIDATOR_OPTIONS } from '../../lib/manifest/crd-schema';
import { loadManifestInputs } from '../../lib/manifest/load';
import { crdValidatorsSource, GENERATED_VALIDATORS } from '../../scripts/crd/validators-source';

const ROOT = join(__dirname, '..', '..');
const CORPUS = resolve(ROOT, '..', 'shared', 'realworld', 'policies');

test('imports/cilium-crd-validators.ts is current (regenerate: npm run crd:validators)', () => {
  const shipped = readFileSync(join(ROOT, GENERATED_VALIDATORS), 'utf8');
  expect(shipped === crdValidatorsSource()).toBe(true);
}, 60_000);

const errorsOf = (validate: (m: unknown) => boolean, m: unknown): string[] =>
  validate(m)
    ? []
    : ((validate as unknown as { errors: ErrorObject[] }).errors ?? [])
        .map((e) => `${e.instancePath} ${e.keyword} ${e.message} ${JSON.stringify(e.params)}`)
        .sort();

function badPolicy(kind: string): Record<string, unknown> {
  return {
    apiVersion: 'cilium.io/v2',
    kind,
    metadata: { name: 'x', namespace: 'a' },
    spec: {
      endpointSelector: { matchLabels: { app: 1 } },
      ingress: [
        { fromEntitys: ['world'], fromEntities: ['everywhere'], toPorts: [{ ports: [{ port: 80 }] }] },
      ],
      egress: [{ toFQDNs: [{ matchName: 'a..b' }], icmps: [{ fields: [{ type: 'x', family: 'IPv5' }] }] }],
    },
    specs: [{ endpointSelector: {}, ingressDeny: [{ fromCIDR: [7] }] }],
  };
}

test('the generated validators report exactly what ajv compiling the schema at run time reports', () => {
  const generated = require(join(ROOT, GENERATED_VALIDATORS)) as Record<string, (m: unknown) => boolean>;
  const corpus = existsSync(CORPUS)
    ? loadManifestInputs(
        readdirSync(CORPUS)
          .sort()
          .map((f) => join(CORPUS, f)),
      ).manifests.map((m) => m.manifest)
    : [];
  if (existsSync(CORPUS)) expect(corpus.length).toBeGreaterThan(800);
  for (const kind of CRD_POLICY_KINDS) {
    const compiled = new Ajv(VALIDATOR_OPTIONS).compile(validationSchema(kind)!);
    const inputs = [badPolicy(kind), ...corpus.filter((m) => m.kind === kind)];
    const expected = inputs.map((m) => errorsOf(compiled, m));
    expect(expected[0].length).toBeGreaterThan(5);
    expect(inputs.map((m) => errorsOf(generated[kind], m))).toEqual(expected);
  }
}, 120_000);
