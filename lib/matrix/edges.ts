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
    case 'FORWARDED':
      return c.policyInvolved ? 'allowed' : 'open';
    case 'AUDIT':
      return 'audit';
    case 'UNDECIDED':
      return 'undecided';
    default:
      return 'denied';
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
export function mapEdges(
  m: ConnectivityMatrix,
  allEdges: boolean,
  cells: readonly MatrixCell[] = m.cells,
): MapEdge[] {
  // A page draws the overview and every drill-down from the same cells: compute them once.
  const cache = edgeCache.get(cells) ?? {};
  edgeCache.set(cells, cache);
  const key = allEdges ? 'all' : 'named';
  return [...(cache[key] ??= computeMapEdges(allEdges, cells))];
}

const edgeCache = new WeakMap<
  readonly MatrixCell[],
  { all?: readonly MapEdge[]; named?: readonly MapEdge[] }
>();

function computeMapEdges(allEdges: boolean, cells: readonly MatrixCell[]): MapEdge[] {
  const edges: MapEdge[] = [];
  // One pass over the cells, a (source, destination) run at a time: no table of every pair.
  let start = 0;
  while (start < cells.length) {
    const { from, to } = cells[start];
    let end = start + 1;
    while (end < cells.length && cells[end].from === from && cells[end].to === to) end++;
    let named = false;
    let kept = false;
    for (let i = start; i < end; i++) {
      const c = cells[i];
      if (c.peerNamed) named = true;
      const cls = edgeClass(c);
      if (
        allEdges ||
        (cls !== 'open' &&
          (cls !== 'denied' || c.peerNamed || c.egress === 'DENIED' || c.ingress === 'DENIED'))
      )
        kept = true;
    }
    if (kept || named) {
      const row = cells.slice(start, end);
      const shown = (c: MatrixCell, cls: EdgeClass) => {
        if (allEdges) return true;
        if (cls === 'open') return false;
        if (cls === 'denied') return named || c.egress === 'DENIED' || c.ingress === 'DENIED';
        return true;
      };
      for (const cls of EDGE_CLASSES) {
        const picked = row.filter((c) => edgeClass(c) === cls && shown(c, cls));
        if (picked.length === 0) continue;
        edges.push({
          id: `${from}->${to}:${cls}`,
          from,
          to,
          cls,
          ports: picked.map((c) => c.port),
          cells: picked,
        });
      }
    }
    start = end;
  }
  return edges;
}

/** `80/TCP, 443/TCP +3 more`: a short port list for edge labels. */
export function shortPortList(ports: readonly MatrixPort[], max = 3): string {
  const shown = ports
    .slice(0, max)
    .map((p) => p.text)
    .join(', ');
  return ports.length > max ? `${shown} +${ports.length - max}` : shown;
}

/** `5 policies (4 CiliumNetworkPolicy, 1 CiliumClusterwideNetworkPolicy)`. */
export function policySummary(m: ConnectivityMatrix): string {
  const kinds = Object.entries(m.policies.byKind)
    .map(([k, n]) => `${n} ${k}`)
    .join(', ');
  return `${m.policies.total} ${m.policies.total === 1 ? 'policy' : 'policies'}${kinds ? ` (${kinds})` : ''}`;
}

/** `enforcement default, allow-localhost always, audit off`. */
export function optionSummary(m: Pick<ConnectivityMatrix, 'engineOptions'>): string {
  const o = m.engineOptions;
  const parts = [
    `enforcement ${o.policyEnforcementMode}`,
    `allow-localhost ${o.allowLocalhost}`,
    `audit ${o.policyAuditMode ? 'on' : 'off'}`,
  ];
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
