import { overallVerdict } from '../engine/engine';
import { DirectionResult, FlowResult, Verdict } from '../engine/types';
import { EndDefaults, isDefault } from './defaults';
import { CellExplainer } from './explain-cell';
import { FlowCounts, MatrixCell, MatrixPort, PassingFlows } from './model';
import { DecidedPairs } from './pairs';
import { flowTo, MatrixPlan } from './plan';

/** The cells of the matrix: evaluated for decided pairs, from the ends' defaults for the others. */
export class MatrixCells {
  /** Every cell of the decided pairs, in (source, destination, port) order. */
  readonly decided: readonly MatrixCell[];
  /** The decided cells where an end does not decide as its default: what `json` lists. */
  readonly exceptions: readonly MatrixCell[];

  constructor(
    private readonly plan: MatrixPlan,
    private readonly pairs: DecidedPairs,
    private readonly ports: ReadonlyArray<readonly MatrixPort[]>,
    private readonly defaults: readonly EndDefaults[],
    private readonly explainer: CellExplainer,
  ) {
    const decided: MatrixCell[] = [];
    const exceptions: MatrixCell[] = [];
    for (const s of plan.sources) {
      for (const d of pairs.destinations[s]) {
        for (const port of ports[d]) {
          const r = plan.engine.evaluate(flowTo(plan.node(s), plan.node(d), port));
          const cell = this.cell(s, d, port, r);
          decided.push(cell);
          if (!isDefault(r.egress, defaults[s].egress) || !isDefault(r.ingress, defaults[d].ingress))
            exceptions.push(cell);
        }
      }
    }
    this.decided = decided;
    this.exceptions = exceptions;
  }

  /** Every cell, in (source, destination, port) order; the undecided pairs' built on the way. */
  *every(): Generator<MatrixCell> {
    let k = 0;
    for (const s of this.plan.sources) {
      const decided = this.pairs.destinations[s];
      let next = 0;
      for (let d = 0; d < this.plan.identities.length; d++) {
        if (!this.plan.hasFlows(s, d)) continue;
        if (decided[next] === d) {
          next++;
          for (let p = 0; p < this.ports[d].length; p++) yield this.decided[k++];
          continue;
        }
        const r = this.defaultResult(s, d);
        for (const port of this.ports[d]) yield this.cell(s, d, port, r);
      }
    }
  }

  /** Flows counted by verdict, and per identity and direction whether any is not dropped. */
  tally(): { counts: FlowCounts; passing: PassingFlows } {
    const counts = { total: 0, FORWARDED: 0, DROPPED: 0, AUDIT: 0, UNDECIDED: 0 };
    const passing = { ingress: new Map<string, boolean>(), egress: new Map<string, boolean>() };
    const note = (s: number, d: number, verdict: Verdict, flows: number) => {
      counts.total += flows;
      counts[verdict] += flows;
      const from = this.plan.identities[s].id;
      const to = this.plan.identities[d].id;
      const passes = verdict !== 'DROPPED';
      if (from !== 'entity:host') passing.ingress.set(to, (passing.ingress.get(to) ?? false) || passes);
      passing.egress.set(from, (passing.egress.get(from) ?? false) || passes);
    };
    let k = 0;
    for (const s of this.plan.sources) {
      const decided = this.pairs.destinations[s];
      let next = 0;
      for (let d = 0; d < this.plan.identities.length; d++) {
        if (!this.plan.hasFlows(s, d)) continue;
        if (decided[next] === d) {
          next++;
          for (let p = 0; p < this.ports[d].length; p++) note(s, d, this.decided[k++].verdict, 1);
        } else if (this.ports[d].length > 0) note(s, d, this.defaultVerdict(s, d), this.ports[d].length);
      }
    }
    return { counts, passing };
  }

  private cell(s: number, d: number, port: MatrixPort, r: FlowResult): MatrixCell {
    return {
      from: this.plan.identities[s].id,
      to: this.plan.identities[d].id,
      port,
      verdict: r.verdict,
      egress: r.egress.decision,
      ingress: r.ingress.decision,
      ...this.explainer.explain(r),
    };
  }

  private defaultResult(s: number, d: number): FlowResult {
    const egress = this.defaults[s].egress!;
    const ingress = this.defaults[d].ingress!;
    return { verdict: overallVerdict(egress, ingress), egress, ingress };
  }

  private readonly verdicts = new Map<number, Verdict>();

  /** The verdict of an undecided pair, from a table of the defaults' (decision, audit) shapes. */
  private defaultVerdict(s: number, d: number): Verdict {
    const egress = this.defaults[s].egress!;
    const ingress = this.defaults[d].ingress!;
    const key = shapeCode(egress) * 16 + shapeCode(ingress);
    let v = this.verdicts.get(key);
    if (v === undefined) this.verdicts.set(key, (v = overallVerdict(egress, ingress)));
    return v;
  }
}

const DECISIONS = ['NOT_ENFORCED', 'ALLOWED', 'DENIED', 'DEFAULT_DENY', 'UNDECIDED'];

function shapeCode(r: DirectionResult): number {
  return DECISIONS.indexOf(r.decision) * 2 + (r.audited ? 1 : 0);
}
