import { describeRule } from '../engine/describe';
import { isDrop } from '../engine/verdict';
import { PolicyEngine } from '../engine/engine';
import { Entry } from '../engine/model';
import { DirectionResult, FlowResult, RuleRef } from '../engine/types';
import { compareStrings } from '../util/order';

/** What a cell says besides its decisions: the deciding rules, why undecided, whether a rule names the peer. */
export interface CellExplanation {
  readonly rules: readonly string[];
  readonly reason?: string;
  readonly policyInvolved: boolean;
  readonly peerNamed: boolean;
}

const NO_RULES: readonly RuleRef[] = [];

function refKey(r: RuleRef): string {
  return `${r.kind}|${r.namespace ?? ''}|${r.name}|${r.path}`;
}

/** The sides that made the verdict. */
function decidingSides(r: FlowResult): DirectionResult[] {
  const sides = [r.egress, r.ingress];
  switch (r.verdict) {
    case 'DROPPED':
      return sides.filter((s) => isDrop(s) && !s.audited);
    case 'AUDIT':
      return sides.filter((s) => isDrop(s));
    case 'UNDECIDED':
      return sides.filter((s) => s.decision === 'UNDECIDED');
    default:
      return sides.filter((s) => s.decision === 'ALLOWED');
  }
}

/**
 * Explains the engine's results, built once per shape: cells with the same deciding rule lists
 * and decisions share one explanation (the engine hands out shared rule lists, so most cells
 * cost a lookup).
 */
export class CellExplainer {
  private readonly entryByRef = new Map<RuleRef, Entry>();
  private readonly entryByKey = new Map<string, Entry>();
  private readonly ruleText = new Map<string, string>();
  private readonly explained = new Map<
    readonly RuleRef[],
    Map<readonly RuleRef[], Map<string, CellExplanation>>
  >();

  constructor(engine: PolicyEngine) {
    for (const rule of engine.rules) {
      for (const e of [...rule.entries.ingress, ...rule.entries.egress]) {
        this.entryByKey.set(refKey(e.ref), e);
        this.entryByRef.set(e.ref, e);
      }
    }
  }

  /** `CiliumNetworkPolicy ns/name spec.ingress[0]`. */
  describe(r: RuleRef): string {
    const k = refKey(r);
    let text = this.ruleText.get(k);
    if (text === undefined) this.ruleText.set(k, (text = describeRule(r)));
    return text;
  }

  explain(r: FlowResult): CellExplanation {
    if (r.verdict === 'UNDECIDED') return this.build(r); // its reason names the peer
    const e = r.egress.rules.length === 0 ? NO_RULES : r.egress.rules;
    const i = r.ingress.rules.length === 0 ? NO_RULES : r.ingress.rules;
    let byIngress = this.explained.get(e);
    if (!byIngress) this.explained.set(e, (byIngress = new Map()));
    let byShape = byIngress.get(i);
    if (!byShape) byIngress.set(i, (byShape = new Map()));
    const shape = `${r.verdict}|${r.egress.decision}|${r.egress.audited ? 1 : 0}|${r.ingress.decision}|${r.ingress.audited ? 1 : 0}`;
    let x = byShape.get(shape);
    if (!x) byShape.set(shape, (x = this.build(r)));
    return x;
  }

  /** A rule of this side decided on specific ports (not "every port"). */
  namesPorts(d: DirectionResult): boolean {
    if (d.decision !== 'ALLOWED' && d.decision !== 'DENIED' && d.decision !== 'UNDECIDED') return false;
    return d.rules.some((r) => {
      const l4 = this.entryOf(r)?.l4;
      return (
        !!l4 &&
        (l4.icmps.length > 0 ||
          l4.ports.some((c) => c.name !== undefined || !(c.low === 0 && c.high === 65535)))
      );
    });
  }

  /** A rule of this end names the other end as a peer (not just "any peer on these ports"). */
  private namesPeer(d: DirectionResult): boolean {
    return (
      d.decision !== 'NOT_ENFORCED' &&
      d.decision !== 'DEFAULT_DENY' &&
      d.rules.some((r) => this.entryOf(r)?.peers.kind === 'list')
    );
  }

  private entryOf(r: RuleRef): Entry | undefined {
    return this.entryByRef.get(r) ?? this.entryByKey.get(refKey(r));
  }

  private build(r: FlowResult): CellExplanation {
    const deciding = decidingSides(r);
    const rules = [...new Set(deciding.flatMap((s) => s.rules.map((ref) => this.describe(ref))))].sort(
      compareStrings,
    );
    return {
      rules,
      ...(r.verdict === 'UNDECIDED'
        ? { reason: [...new Set(deciding.flatMap((s) => s.notes))].join('; ') }
        : {}),
      policyInvolved: rules.length > 0,
      peerNamed: this.namesPeer(r.egress) || this.namesPeer(r.ingress),
    };
  }
}
