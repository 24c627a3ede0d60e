/**
 * The differential comparison of the TypeScript engine against the oracle on one vector:
 * what is compared, what is excluded, and how (conformance/README.md, "What is compared").
 */
import { PolicyEngine } from '../../lib/engine';
import type { DirectionResult, FlowResult } from '../../lib/engine/types';
import type { KubeManifest } from '../../lib/manifest/types';
import { crdRejection } from './crd-gate';
import type { ConformanceVector, OracleFlowResult, OracleVectorResult } from './vectors';

/** Why a flow or a direction was left out of the comparison. */
export type Exclusion =
  | 'oracle-unsupported' // the oracle cannot evaluate the flow (toServices, groups, CIDR groups)
  | 'engine-undecided'; // the engine answered UNDECIDED (it lacks data the agent would have)

export interface EngineDiff {
  /** One line per disagreement: `flow: field: engine X, oracle Y`. */
  readonly disagreements: string[];
  /** Flows compared on at least one field. */
  readonly compared: number;
  /** Flows or directions left out, by reason. */
  readonly excluded: Readonly<Record<Exclusion, number>>;
}

const SIDES = ['egress', 'ingress'] as const;

/** `kind ns/name` as the engine's warnings and the oracle's results name a policy. */
export function policyId(kind: string, namespace: string | undefined, name: string): string {
  const shown = name === '' ? '<unnamed>' : name;
  return namespace ? `${kind} ${namespace}/${shown}` : `${kind} ${shown}`;
}

/** policyId of a manifest (a CNP without namespace lands in `default`). */
export function manifestId(m: Record<string, unknown>): string {
  const kind = String(m.kind);
  const meta = (m.metadata ?? {}) as { name?: unknown; namespace?: unknown };
  const ns =
    kind === 'CiliumNetworkPolicy'
      ? typeof meta.namespace === 'string' && meta.namespace !== ''
        ? meta.namespace
        : 'default'
      : undefined;
  return policyId(kind, ns, typeof meta.name === 'string' ? meta.name : '');
}

/** A vector as a real cluster sees it: the policies the API server refuses (CRD schema) removed. */
export interface ClusterView {
  readonly vector: ConformanceVector;
  /** Policies the CRD schema rejects, with the reason; the engine must skip them. */
  readonly crdRejected: ReadonlyMap<string, string>;
}

export function clusterView(vector: ConformanceVector): ClusterView {
  const crdRejected = new Map<string, string>();
  const kept = vector.policies.filter((p) => {
    const why = crdRejection(p);
    if (why !== undefined) crdRejected.set(manifestId(p), why);
    return why === undefined;
  });
  return {
    vector: kept.length === vector.policies.length ? vector : { ...vector, policies: kept },
    crdRejected,
  };
}

/** Policies the engine refused to evaluate (it skips what Cilium would reject), by policyId. */
export function engineSkipped(engine: PolicyEngine): Set<string> {
  const out = new Set<string>();
  for (const w of engine.warnings) {
    if (!w.endsWith('; policy skipped')) continue;
    const m = /^(CiliumNetworkPolicy|CiliumClusterwideNetworkPolicy) (\S+)/.exec(w);
    if (m) out.add(`${m[1]} ${m[2]}`);
  }
  return out;
}

/**
 * Compares the engine (on all of the vector's policies) with the oracle (on the cluster view's
 * policies) on every flow of a vector:
 * - acceptance: the engine skips exactly the policies the CRD schema or the oracle rejects;
 * - per flow the oracle supports: `egress` and `ingress` decisions, unless the engine says
 *   UNDECIDED for that side; `verdict` unless the engine's verdict is UNDECIDED; `l7` one way:
 *   an engine side marked l7 must be a proxy redirect in the oracle (the converse is not required:
 *   the oracle also reports redirects whose L7 rules are wildcarded, which the engine leaves unmarked).
 */
export function compareEngine(
  vector: ConformanceVector,
  view: ClusterView,
  oracle: OracleVectorResult,
): EngineDiff {
  const excluded: Record<Exclusion, number> = { 'oracle-unsupported': 0, 'engine-undecided': 0 };
  const disagreements: string[] = [];
  if (oracle.error) return { disagreements: [`oracle error: ${oracle.error}`], compared: 0, excluded };
  let engine: PolicyEngine;
  try {
    engine = PolicyEngine.fromManifests(vector.policies as unknown as KubeManifest[], vector.options ?? {});
  } catch (e) {
    return { disagreements: [`engine threw: ${(e as Error).message}`], compared: 0, excluded };
  }
  const skipped = engineSkipped(engine);
  for (const [id, why] of view.crdRejected) {
    if (!skipped.has(id))
      disagreements.push(
        `policies: ${id}: engine evaluates it, the API server rejects it (CRD schema: ${why})`,
      );
  }
  for (const p of oracle.policies) {
    const id = policyId(p.kind, p.namespace, p.name);
    if (p.accepted && skipped.has(id)) {
      const why = engine.warnings.find((w) => w.startsWith(`${id} `) && w.endsWith('policy skipped'));
      disagreements.push(`policies: ${id}: engine skips it (${why}), Cilium accepts it`);
    } else if (!p.accepted && !skipped.has(id)) {
      disagreements.push(`policies: ${id}: engine evaluates it, Cilium rejects it: ${p.error}`);
    }
  }
  let compared = 0;
  vector.flows.forEach((c, i) => {
    const o = oracle.flows[i];
    if (!o) {
      disagreements.push(`${c.name}: no oracle result`);
      return;
    }
    if (o.unsupported) {
      excluded['oracle-unsupported']++;
      return;
    }
    let r: FlowResult;
    try {
      r = engine.evaluate(c.flow);
    } catch (e) {
      disagreements.push(`${c.name}: engine threw: ${(e as Error).message}`);
      return;
    }
    const problems = compareFlow(r, o);
    if (problems.undecided > 0) excluded['engine-undecided'] += problems.undecided;
    if (problems.fields > 0) compared++;
    disagreements.push(...problems.lines.map((l) => `${c.name}: ${l}`));
  });
  return { disagreements, compared, excluded };
}

interface FlowComparison {
  readonly lines: string[];
  readonly fields: number;
  readonly undecided: number;
}

function compareFlow(r: FlowResult, o: OracleFlowResult): FlowComparison {
  const lines: string[] = [];
  let fields = 0;
  let undecided = 0;
  for (const side of SIDES) {
    const e: DirectionResult = r[side];
    if (e.decision === 'UNDECIDED') {
      undecided++;
      continue;
    }
    fields++;
    if (e.decision !== o[side]) lines.push(`${side}: engine ${e.decision}, oracle ${o[side]}${notes(e)}`);
    else if (e.l7 && !(o.l7 ?? []).includes(side))
      lines.push(`${side} l7: engine marks L7 rules applying, oracle has no proxy redirect`);
  }
  if (r.verdict !== 'UNDECIDED') {
    fields++;
    if (r.verdict !== o.verdict) lines.push(`verdict: engine ${r.verdict}, oracle ${o.verdict}`);
  }
  return { lines, fields, undecided };
}

function notes(e: DirectionResult): string {
  return e.notes.length > 0 ? ` (engine: ${e.notes.join('; ')})` : '';
}
