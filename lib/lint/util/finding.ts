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

/** A rule's check writing its findings into `out`, for the linter's run over many policies. */
export type CheckInto = (ctx: LintContext, out: LintFinding[]) => void;

const checksInto = new WeakMap<LintRule, CheckInto>();

/**
 * A compact rule definition: `check` reports findings through `report`. The linter runs it with
 * one `report` per rule and run (see checkInto), so a policy without findings costs no allocation.
 */
export function defineRule(
  def: Omit<LintRule, 'check'> & {
    check(ctx: LintContext, report: Report): void;
  },
): LintRule {
  const { check, ...meta } = def;
  const rule: LintRule = {
    ...meta,
    check(ctx: LintContext): LintFinding[] {
      const out: LintFinding[] = [];
      check(ctx, (path, problem, fix) => out.push(finding(ctx, meta, path, problem, fix)));
      return out;
    },
  };
  checksInto.set(rule, reportingInto(meta, check));
  return rule;
}

function reportingInto(
  meta: Pick<LintRule, 'id' | 'severity'>,
  check: (ctx: LintContext, report: Report) => void,
): CheckInto {
  let ctxNow: LintContext | undefined;
  let outNow: LintFinding[] = [];
  const report: Report = (path, problem, fix) => outNow.push(finding(ctxNow!, meta, path, problem, fix));
  return (ctx, out) => {
    const outerCtx = ctxNow;
    const outerOut = outNow;
    ctxNow = ctx;
    outNow = out;
    try {
      check(ctx, report);
    } finally {
      ctxNow = outerCtx;
      outNow = outerOut;
    }
  };
}

/** How the linter runs `rule`: its reporting check, or `check` for a rule written without defineRule. */
export function checkInto(rule: LintRule): CheckInto {
  return (
    checksInto.get(rule) ??
    ((ctx, out) => {
      for (const f of rule.check(ctx)) out.push(f);
    })
  );
}
