import { ConnectivityMatrix, MatrixCell, MatrixPort } from './model';

/** Cells grouped per (source, destination) and per kind of answer, for tables and the map. */

/**
 * `allowed`: forwarded and a policy decided it; `open`: forwarded and no policy applies to either
 * end; `audit`: a policy drop reported as AUDIT; `undecided`; `denied`: dropped.
 */
export type EdgeClass = 'allowed' | 'open' | 'audit' | 'undecided' | 'denied';
export const EDGE_CLASSES: readonly EdgeClass[] = ['allowed', 'open', 'audit', 'undecided', 'denied'];

export function edgeClass(c: MatrixCell): EdgeClass {
  switch (c.verdict) {
    case 'FORWARDED': return c.policyInvolved ? 'allowed' : 'open';
    case 'AUDIT': return 'audit';
    case 'UNDECIDED': return 'undecided';
    default: return 'denied';
  }
}

export interface PairRow {
  readonly from: string;
  readonly to: string;
  readonly cells: readonly MatrixCell[];
}

/** One row per (source, destination) that has cells, in the matrix's order (or of the cells given). */
export function pairRows(m: ConnectivityMatrix, cells: readonly MatrixCell[] = m.cells): PairRow[] {
  const rows: PairRow[] = [];
  let current: { from: string; to: string; cells: MatrixCell[] } | undefined;
  for (const c of cells) {
    if (!current || current.from !== c.from || current.to !== c.to) {
      current = { from: c.from, to: c.to, cells: [] };
      rows.push(current);
    }
    current.cells.push(c);
  }
  return rows;
}

export interface MapEdge {
  /** `from->to:class`, unique. */
  readonly id: string;
  readonly from: string;
  readonly to: string;
  readonly cls: EdgeClass;
  readonly ports: readonly MatrixPort[];
  readonly cells: readonly MatrixCell[];
  /** An aggregated edge (namespace overview): its label, instead of the port list. */
  readonly label?: string;
}

/** The edge's caption: its label, or its ports. */
export function mapEdgeLabel(e: MapEdge): string {
  return e.label ?? shortPortList(e.ports);
}

/**
 * The edges a service map draws: one per (source, destination, class). Unless `allEdges`:
 * no `open` edges (flows no policy rule decides), and denied edges only between pairs a policy
 * names: a rule of one end selects the other as a peer (on any port), or an explicit deny matches.
 * So a service whose policy allows some of its peers shows those peers' denied ports, while
 * the default-deny of everything else is left to the node's badges.
 */
export function mapEdges(m: ConnectivityMatrix, allEdges: boolean, cells: readonly MatrixCell[] = m.cells): MapEdge[] {
  const edges: MapEdge[] = [];
  for (const row of pairRows(m, cells)) {
    const named = row.cells.some((c) => c.peerNamed);
    const shown = (c: MatrixCell, cls: EdgeClass) => {
      if (allEdges) return true;
      if (cls === 'open') return false;
      if (cls === 'denied') return named || c.egress === 'DENIED' || c.ingress === 'DENIED';
      return true;
    };
    for (const cls of EDGE_CLASSES) {
      const cells = row.cells.filter((c) => edgeClass(c) === cls && shown(c, cls));
      if (cells.length === 0) continue;
      edges.push({ id: `${row.from}->${row.to}:${cls}`, from: row.from, to: row.to, cls, ports: cells.map((c) => c.port), cells });
    }
  }
  return edges;
}

/** `80/TCP, 443/TCP +3 more`: a short port list for edge labels. */
export function shortPortList(ports: readonly MatrixPort[], max = 3): string {
  const shown = ports.slice(0, max).map((p) => p.text).join(', ');
  return ports.length > max ? `${shown} +${ports.length - max}` : shown;
}

/** `5 policies (4 CiliumNetworkPolicy, 1 CiliumClusterwideNetworkPolicy)`. */
export function policySummary(m: ConnectivityMatrix): string {
  const kinds = Object.entries(m.policies.byKind).map(([k, n]) => `${n} ${k}`).join(', ');
  return `${m.policies.total} ${m.policies.total === 1 ? 'policy' : 'policies'}${kinds ? ` (${kinds})` : ''}`;
}

/** `enforcement default, allow-localhost always, audit off`. */
export function optionSummary(m: Pick<ConnectivityMatrix, 'engineOptions'>): string {
  const o = m.engineOptions;
  const parts = [`enforcement ${o.policyEnforcementMode}`, `allow-localhost ${o.allowLocalhost}`, `audit ${o.policyAuditMode ? 'on' : 'off'}`];
  if (o.clusterName !== 'default') parts.push(`cluster ${o.clusterName}`);
  if (o.cidrMatchNodes) parts.push('CIDR rules match nodes');
  return parts.join(', ');
}

export function portSourceSummary(m: ConnectivityMatrix): string {
  return m.portSource === 'option'
    ? `ports ${[...new Set([...m.portsByDestination.values()].flat().map((p) => p.text))].join(',')} for every destination`
    : 'ports: declared container ports plus ports policies name (defaults for entities)';
}

export function fqdnExampleSummary(m: ConnectivityMatrix): string | undefined {
  if (m.fqdnExamples.length === 0) return undefined;
  return `FQDN examples: ${m.fqdnExamples.map((e) => `${e.example} for ${e.pattern}`).join(', ')}`;
}
