import { ConnectivityMatrix } from './model';

/** The `json` format; its shape is documented at the top of lib/cli/matrix-command.ts. */
export function matrixJson(m: ConnectivityMatrix): unknown {
  const count = (kind: string) => m.nodes.filter((n) => n.kind === kind).length;
  const flows = { total: m.cells.length, FORWARDED: 0, DROPPED: 0, AUDIT: 0, UNDECIDED: 0 };
  for (const c of m.cells) flows[c.verdict] += 1;
  return {
    nodes: m.nodes.map((n) => ({
      id: n.id,
      kind: n.kind,
      namespace: n.namespace ?? null,
      name: n.name,
      labels: n.labels,
      ...(n.workloadKind ? { workloadKind: n.workloadKind } : {}),
      ...(n.hostNetwork ? { hostNetwork: true } : {}),
      ...(n.examplePatterns ? { examplePatterns: n.examplePatterns } : {}),
      ports: (m.portsByDestination.get(n.id) ?? []).map((p) => p.text),
      enforced: m.enforced.get(n.id) ?? { ingress: false, egress: false },
    })),
    edges: m.cells.map((c) => ({
      from: c.from,
      to: c.to,
      port: c.port.port ?? null,
      protocol: c.port.protocol,
      ...(c.port.icmpType !== undefined ? { icmpType: c.port.icmpType } : {}),
      verdict: c.verdict,
      egress: c.egress,
      ingress: c.ingress,
      policyInvolved: c.policyInvolved,
      rules: c.rules,
      ...(c.reason !== undefined ? { reason: c.reason } : {}),
    })),
    summary: {
      policies: m.policies,
      nodes: { workloads: count('workload'), entities: count('entity'), cidrs: count('cidr'), fqdns: count('fqdn') },
      flows,
      options: m.engineOptions,
      ports: m.portSource,
      fqdnExamples: m.fqdnExamples,
      warnings: m.warnings,
    },
  };
}

export function renderJson(m: ConnectivityMatrix): string {
  return `${JSON.stringify(matrixJson(m), null, 2)}\n`;
}
