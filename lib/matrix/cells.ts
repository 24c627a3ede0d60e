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
    const n = this.plan.identities.length;
    const counts = { total: 0, FORWARDED: 0, DROPPED: 0, AUDIT: 0, UNDECIDED: 0 };
    // Per identity: 0 no flows, 1 every flow dropped, 2 one passes.
    const into = new Uint8Array(n);
    const out = new Uint8Array(n);
    const hostId = this.plan.identities.findIndex((i) => i.id === 'entity:host');
    const note = (s: number, d: number, verdict: Verdict, flows: number) => {
      counts.total += flows;
      counts[verdict] += flows;
      const mark = verdict === 'DROPPED' ? 1 : 2;
      if (s !== hostId && into[d] < mark) into[d] = mark;
      if (out[s] < mark) out[s] = mark;
    };
    const verdictOf = this.defaultVerdicts();
    let k = 0;
    for (const s of this.plan.sources) {
      const decided = this.pairs.destinations[s];
      let next = 0;
      for (let d = 0; d < n; d++) {
        if (!this.plan.hasFlows(s, d)) continue;
        if (decided[next] === d) {
          next++;
          for (let p = 0; p < this.ports[d].length; p++) note(s, d, this.decided[k++].verdict, 1);
        } else if (this.ports[d].length > 0) note(s, d, verdictOf(s, d), this.ports[d].length);
      }
    }
    const passing = (marks: Uint8Array) =>
      new Map(
        this.plan.identities.flatMap((i, x) => (marks[x] > 0 ? [[i.id, marks[x] === 2] as const] : [])),
      );
    return { counts, passing: { ingress: passing(into), egress: passing(out) } };
  }

  /** The verdict of an undecided pair, from a table of the defaults' (decision, audit) shapes. */
  private defaultVerdicts(): (s: number, d: number) => Verdict {
    const egress = this.defaults.map((x) => (x.egress ? shapeCode(x.egress) : 0));
    const ingress = this.defaults.map((x) => (x.ingress ? shapeCode(x.ingress) : 0));
    const table: Array<Verdict | undefined> = [];
    return (s, d) => {
      const key = egress[s] * 16 + ingress[d];
      return (table[key] ??= overallVerdict(this.defaults[s].egress!, this.defaults[d].ingress!));
    };
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
}

const DECISIONS = ['NOT_ENFORCED', 'ALLOWED', 'DENIED', 'DEFAULT_DENY', 'UNDECIDED'];

function shapeCode(r: DirectionResult): number {
  return DECISIONS.indexOf(r.decision) * 2 + (r.audited ? 1 : 0);
}
