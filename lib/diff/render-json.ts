import { ConnectivityDiff, FlowState } from './model';

/** The `json` format; its shape is documented in the README and in lib/cli/diff-command.ts. */

function side(s: FlowState): unknown {
  return {
    verdict: s.verdict,
    egress: s.egress,
    ingress: s.ingress,
    policyInvolved: s.policyInvolved,
    rules: s.rules,
    ...(s.reason !== undefined ? { reason: s.reason } : {}),
  };
}

export function diffJson(d: ConnectivityDiff): unknown {
  const n = (k: string) => d.policies.filter((p) => p.change === k).length;
  return {
    changed: d.changed,
    summary: {
      allowed: d.counts.allowed,
      denied: d.counts.denied,
      undecided: d.counts.undecided,
      rules: d.counts.rules,
      rulesListed: d.rulesListed,
      policies: {
        base: d.policyCounts.base,
        head: d.policyCounts.head,
        added: n('added'),
        removed: n('removed'),
        changed: n('changed'),
      },
      nodes: d.nodes,
      flows: d.flowsEvaluated,
      options: d.engineOptions,
      fqdnExamples: d.fqdnExamples,
    },
    pairs: d.pairs.map((p) => ({
      from: p.from,
      to: p.to,
      flows: p.flows.map((f) => ({
        port: f.port.port ?? null,
        protocol: f.port.protocol,
        ...(f.port.icmpType !== undefined ? { icmpType: f.port.icmpType } : {}),
        change: f.kind,
        base: side(f.base),
        head: side(f.head),
      })),
    })),
    policies: d.policies.map((p) => ({
      change: p.change,
      kind: p.kind,
      namespace: p.namespace ?? null,
      name: p.name,
      base: p.base ?? null,
      head: p.head ?? null,
      ...(p.fields ? { fields: p.fields } : {}),
      ...(p.moreFields ? { moreFields: p.moreFields } : {}),
    })),
    workloads: d.workloads,
    warnings: d.warnings,
  };
}

export function renderDiffJson(d: ConnectivityDiff): string {
  return `${JSON.stringify(diffJson(d), null, 2)}\n`;
}
