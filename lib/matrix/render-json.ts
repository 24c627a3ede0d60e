import { ConnectivityMatrix } from './model';

/** The `json` format; its shape is documented at the top of lib/cli/matrix-command.ts. */
export function matrixJson(m: ConnectivityMatrix, withEdges = true): unknown {
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
    edges: withEdges ? m.identityCells.map(edgeJson) : [],
    summary: {
      policies: m.policies,
      nodes: {
        workloads: count('workload'),
        entities: count('entity'),
        cidrs: count('cidr'),
        fqdns: count('fqdn'),
      },
      flows,
      options: m.engineOptions,
      ports: m.portSource,
      fqdnExamples: m.fqdnExamples,
      warnings: m.warnings,
    },
  };
}

function edgeJson(c: ConnectivityMatrix['identityCells'][number]): unknown {
  return {
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
  };
}

/**
 * The `json` text in pieces (the same bytes as `renderJson`): a large cluster's matrix is more
 * text than one JavaScript string holds, so the CLI writes it piece by piece.
 */
export function* renderJsonChunks(m: ConnectivityMatrix): Generator<string> {
  const whole = matrixJson(m, false) as Record<string, unknown>;
  const text = JSON.stringify(whole, null, 2);
  const marker = '\n  "edges": [],\n';
  const at = text.indexOf(marker);
  if (m.identityCells.length === 0 || at < 0) {
    yield `${text}\n`;
    return;
  }
  yield `${text.slice(0, at)}\n  "edges": [`;
  yield* edgeChunks(m);
  yield `\n  ],\n${text.slice(at + marker.length)}\n`;
}

/** The edges, 2,000 to a piece, each indented as inside the document. */
function* edgeChunks(m: ConnectivityMatrix): Generator<string> {
  let batch: string[] = [];
  for (let i = 0; i < m.identityCells.length; i++) {
    batch.push(
      `${i === 0 ? '' : ','}\n    ${JSON.stringify(edgeJson(m.identityCells[i]), null, 2).replace(/\n/g, '\n    ')}`,
    );
    if (batch.length === 2000) {
      yield batch.join('');
      batch = [];
    }
  }
  if (batch.length > 0) yield batch.join('');
}

export function renderJson(m: ConnectivityMatrix): string {
  return [...renderJsonChunks(m)].join('');
}
