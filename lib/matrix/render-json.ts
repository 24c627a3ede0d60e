import { ConnectivityMatrix } from './model';

/** The `json` format; its shape is documented at the top of lib/cli/matrix-command.ts. */
export function matrixJson(m: ConnectivityMatrix): unknown {
  const count = (kind: string) => m.nodes.filter((n) => n.kind === kind).length;
  const flows = { total: m.identityCells.length, FORWARDED: 0, DROPPED: 0, AUDIT: 0, UNDECIDED: 0 };
  for (const c of m.identityCells) flows[c.verdict] += 1;
  const groups = m.identities.filter((i) => i.members.length > 1);
  const grouped = new Set(groups.map((i) => i.id));
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
      ...(grouped.has(m.identityOf.get(n.id)!) ? { identity: m.identityOf.get(n.id) } : {}),
    })),
    identities: groups.map((i) => ({
      id: i.id,
      labels: i.node.labels,
      workloads: i.members.map((n) => n.id),
      ports: (m.portsByIdentity.get(i.id) ?? []).map((p) => p.text),
    })),
    edges: m.identityCells.map((c) => ({
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
