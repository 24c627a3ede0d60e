import { buildProgram } from '../../lib/cli/main';
import { engineOptionsOf } from '../../lib/cli/engine-flags';

const ENGINE_FLAGS = ['--enforcement', '--allow-localhost', '--cluster-name', '--cidr-match-nodes'];

describe('engine flags', () => {
  const program = buildProgram();
  const optionsOf = (name: string) => program.commands.find((c) => c.name() === name)!.options;

  test('every command that evaluates policy defines them once, with one help text and no parser default', () => {
    const evaluating = ['explain', 'matrix', 'diff', 'replay', 'rollout', 'suggest'];
    const definitions = evaluating.map((name) =>
      ENGINE_FLAGS.map((flag) => {
        const o = optionsOf(name).find((x) => x.long === flag);
        return { flag, description: o?.description, default: o?.defaultValue, choices: o?.argChoices };
      }),
    );
    for (const d of definitions) expect(d).toEqual(definitions[0]);
    expect(definitions[0].every((d) => d.description && d.default === undefined)).toBe(true);
  });

  test('--audit only where audit mode is reported, never on a replay (it predicts enforcement)', () => {
    const hasAudit = (name: string) => optionsOf(name).some((o) => o.long === '--audit');
    expect(['explain', 'matrix', 'diff'].map(hasAudit)).toEqual([true, true, true]);
    expect(['replay', 'rollout', 'suggest'].map(hasAudit)).toEqual([false, false, false]);
  });

  test('unset flags leave the engine its defaults', () => {
    expect(engineOptionsOf({})).toEqual({ policyAuditMode: false, cidrMatchNodes: false });
    expect(engineOptionsOf({ enforcement: 'always', clusterName: 'prod', audit: true })).toEqual({
      policyEnforcementMode: 'always',
      policyAuditMode: true,
      clusterName: 'prod',
      cidrMatchNodes: false,
    });
  });
});
