import { text } from '../../manifest/shape';
import { LintContext, LintFinding, LintRule } from '../types';

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
    message: `${text(m.kind)} ${namespace !== undefined ? `${namespace}/` : ''}${name} ${path}: ${problem}`,
    fix,
  };
}

/** A compact rule definition: `check` returns findings built through `report`. */
export function defineRule(
  def: Omit<LintRule, 'check'> & {
    check(ctx: LintContext, report: (path: string, problem: string, fix: string) => void): void;
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
