import { lintManifests } from '../../lib/lint';
import { policySchema } from '../../lib/manifest/crd-schema';
import { validatorRejectsWhatWalkFinds } from '../../lib/lint/rules/unknown-field';

describe('unknown-field walks only after the CRD validator found an unknown field', () => {
  it('can rely on the validator for both policy kinds of the shipped CRDs (the rule does)', () => {
    for (const kind of ['CiliumNetworkPolicy', 'CiliumClusterwideNetworkPolicy'])
      expect(validatorRejectsWhatWalkFinds(policySchema(kind)!)).toBe(true);
  });

  it('does not rely on a schema where the validator would accept what the walk reports', () => {
    const open = { type: 'object', properties: { a: { type: 'string' } }, additionalProperties: true };
    expect(validatorRejectsWhatWalkFinds(open)).toBe(false);
    expect(validatorRejectsWhatWalkFinds({ type: 'array', items: open })).toBe(false);
    expect(validatorRejectsWhatWalkFinds({ type: 'string', properties: { a: {} } })).toBe(false);
    expect(validatorRejectsWhatWalkFinds({ type: 'object', properties: { a: open } })).toBe(false);
    expect(
      validatorRejectsWhatWalkFinds({ 'x-kubernetes-preserve-unknown-fields': true, properties: {} }),
    ).toBe(true);
  });

  it('still names every unknown field, beside other schema problems', () => {
    const report = lintManifests([
      {
        apiVersion: 'cilium.io/v2',
        kind: 'CiliumNetworkPolicy',
        metadata: { name: 'web', namespace: 'shop' },
        spec: {
          endpointSelector: { matchLabels: { app: 'web' } },
          ingress: [{ fromEndpoint: [{ matchLabels: { app: 'lb' } }], toPorts: [{ ports: [{ port: 80 }] }] }],
        },
        extra: true,
      },
    ]);
    const unknown = report.findings.filter((f) => f.rule === 'unknown-field').map((f) => f.path);
    expect(unknown).toEqual(['extra', 'spec.ingress[0].fromEndpoint']);
    expect(report.findings.some((f) => f.rule === 'crd-schema')).toBe(true);
  });
});
