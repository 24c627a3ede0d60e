import { text } from '../../util/shape';
import { LintContext, LintFinding, LintRule } from '../types';
import { describeObject } from '../../manifest/object-ref';

/** Builds a finding for the policy in `ctx`; the message names the policy and the path. */
export function finding(
  ctx: LintContext,
  rule: Pick<LintRule, 'id' | 'severity'>,
  path: string,
  problem: string,
  fix: string,
): LintFinding {
  const m = ctx.policy;
  const name = typeof m.metadata?.name === 'string' ? m.metadata.name : '<unnamed>';
  const namespace = typeof m.metadata?.namespace === 'string' ? m.metadata.namespace : undefined;
  const line = ctx.locate?.(path) ?? ctx.line;
  return {
    rule: rule.id,
    severity: rule.severity,
    ...(ctx.file !== undefined ? { file: ctx.file } : {}),
    ...(line !== undefined ? { line } : {}),
    kind: text(m.kind),
    ...(namespace !== undefined ? { namespace } : {}),
    name,
    path,
    message: `${describeObject({ kind: text(m.kind), namespace, name })} ${path}: ${problem}`,
    fix,
  };
}

/** Reports one finding: the path in the policy, the problem and the fix. */
export type Report = (path: string, problem: string, fix: string) => void;

/** A compact rule definition: `check` returns findings built through `report`. */
export function defineRule(
  def: Omit<LintRule, 'check'> & {
    check(ctx: LintContext, report: Report): void;
  },
): LintRule {
  const { check, ...meta } = def;
  return {
    ...meta,
    check(ctx: LintContext): LintFinding[] {
      const out: LintFinding[] = [];
      check(ctx, (path, problem, fix) => out.push(finding(ctx, meta, path, problem, fix)));
      return out;
    },
  };
}
