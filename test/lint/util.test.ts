import { requirementsOf, selectorImplies } from '../../lib/lint/util/selector';

describe('selector implication', () => {
  const r = (s: unknown) => requirementsOf(s)!;
  it('is conservative and structural', () => {
    expect(
      selectorImplies(r({ matchLabels: { app: 'a', tier: 'x' } }), r({ matchLabels: { app: 'a' } })),
    ).toBe(true);
    expect(
      selectorImplies(r({ matchLabels: { app: 'a' } }), r({ matchLabels: { app: 'a', tier: 'x' } })),
    ).toBe(false);
    expect(selectorImplies(r({ matchLabels: { 'k8s:app': 'a' } }), r({ matchLabels: { app: 'a' } }))).toBe(
      true,
    );
    expect(selectorImplies(r({ matchLabels: { app: 'a' } }), r({ matchLabels: { 'k8s:app': 'a' } }))).toBe(
      false,
    );
    expect(selectorImplies(r({ matchLabels: { app: 'a' } }), r({}))).toBe(true);
    expect(
      selectorImplies(
        r({ matchLabels: { app: 'a' } }),
        r({ matchExpressions: [{ key: 'app', operator: 'In', values: ['a', 'b'] }] }),
      ),
    ).toBe(true);
  });
});
