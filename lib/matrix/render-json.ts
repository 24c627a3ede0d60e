import { ConnectivityMatrix, EndDefault, MatrixCell, MatrixNode } from './model';

/**
 * The `json` format (version 2; its shape is documented at the top of lib/cli/matrix-command.ts
 * and in the README). Each node carries its identity's defaults: what it decides, per direction,
 * for a peer none of its rules names. `edges` lists the flows where an end does not decide as its
 * default (every flow with `allEdges`); any other flow's verdict follows from the defaults of its
 * two ends.
 */
export const MATRIX_JSON_VERSION = 2;

export interface MatrixJsonOptions {
  /** List every flow, not only those that differ from their ends' defaults. */
  readonly allEdges?: boolean;
}

/** The document without its edges (`edges: []`), then the edges. */
function documentHead(m: ConnectivityMatrix, options: MatrixJsonOptions): Record<string, unknown> {
  const count = (kind: string) => m.nodes.filter((n) => n.kind === kind).length;
  const groups = m.identities.filter((i) => i.members.length > 1);
  return {
    version: MATRIX_JSON_VERSION,
    nodes: m.nodes.map((n) => nodeJson(m, n)),
    identities: groups.map((i) => ({
      id: i.id,
      labels: i.node.labels,
      workloads: i.members.map((n) => n.id),
      ports: (m.portsByIdentity.get(i.id) ?? []).map((p) => p.text),
    })),
    edges: [],
    summary: {
      policies: m.policies,
      nodes: {
        workloads: count('workload'),
        entities: count('entity'),
        cidrs: count('cidr'),
        fqdns: count('fqdn'),
      },
      flows: m.flowCounts,
      edges: options.allEdges ? 'all' : 'exceptions',
      options: m.engineOptions,
      ports: m.portSource,
      fqdnExamples: m.fqdnExamples,
      warnings: m.warnings,
    },
  };
}

function nodeJson(m: ConnectivityMatrix, n: MatrixNode): unknown {
  const identity = m.identityOf.get(n.id)!;
  const defaults = m.defaults.get(identity);
  return {
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
    default: { egress: defaultJson(defaults?.egress), ingress: defaultJson(defaults?.ingress) },
    ...(identity !== n.id ? { identity } : {}),
  };
}

function defaultJson(d: EndDefault | undefined): unknown {
  return d ? { decision: d.decision, audited: d.audited, rules: d.rules } : null;
}

function edgeJson(c: MatrixCell): unknown {
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

function edgesOf(m: ConnectivityMatrix, options: MatrixJsonOptions): Iterable<MatrixCell> {
  return options.allEdges ? m.everyIdentityCell() : m.exceptionCells;
}

/** The whole document as one value (small matrices; the CLI writes `renderJsonChunks`). */
export function matrixJson(m: ConnectivityMatrix, options: MatrixJsonOptions = {}): unknown {
  return { ...documentHead(m, options), edges: [...edgesOf(m, options)].map(edgeJson) };
}

/**
 * The `json` text in pieces (the same bytes as `renderJson`): a large cluster's matrix can be
 * more text than one JavaScript string holds, so the CLI writes it piece by piece.
 */
export function* renderJsonChunks(m: ConnectivityMatrix, options: MatrixJsonOptions = {}): Generator<string> {
  const text = JSON.stringify(documentHead(m, options), null, 2);
  const marker = '\n  "edges": [],\n';
  const at = text.indexOf(marker);
  yield `${text.slice(0, at)}\n  "edges": [`;
  let batch: string[] = [];
  let first = true;
  for (const c of edgesOf(m, options)) {
    batch.push(`${first ? '' : ','}\n    ${JSON.stringify(edgeJson(c), null, 2).replace(/\n/g, '\n    ')}`);
    first = false;
    if (batch.length === 2000) {
      yield batch.join('');
      batch = [];
    }
  }
  if (batch.length > 0) yield batch.join('');
  // No edges print as JSON.stringify does: `[]`.
  yield `${first ? '' : '\n  '}],\n${text.slice(at + marker.length)}\n`;
}

export function renderJson(m: ConnectivityMatrix, options: MatrixJsonOptions = {}): string {
  return [...renderJsonChunks(m, options)].join('');
}
