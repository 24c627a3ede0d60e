import { EdgeClass, fqdnExampleSummary, MapEdge, mapEdges, optionSummary, policySummary, portSourceSummary } from './edges';
import { ConnectivityMatrix, MatrixNode } from './model';
import { compareIds } from './workloads';

/**
 * What a service map shows, independent of how it is drawn (DOT, SVG): groups (namespaces, the
 * cluster's entities, the outside), nodes with their captions, edges with their style, legend.
 */

export interface MapGroup {
  readonly id: string;
  readonly kind: 'namespace' | 'cluster' | 'outside';
  readonly label: string;
  readonly nodes: readonly MapNode[];
}

export interface MapNode {
  readonly id: string;
  readonly kind: MatrixNode['kind'];
  readonly title: string;
  readonly subtitle: string;
  /** The workload's posture per direction: `ingress open`, `egress policy`, `ingress blocked`. */
  readonly badges: readonly MapBadge[];
}

/** `open`: no policy governs the direction; `policy`: a policy does; `blocked`: nothing is let through. */
export interface MapBadge {
  readonly text: string;
  readonly tone: 'open' | 'policy' | 'blocked';
}

export const BADGE_COLORS: Readonly<Record<MapBadge['tone'], string>> = { open: '#b35c00', policy: '#2e7d32', blocked: '#c62828' };

export interface EdgeStyle {
  readonly color: string;
  readonly dash?: string;
  readonly width: number;
  readonly label: string;
}

export const EDGE_STYLES: Readonly<Record<EdgeClass, EdgeStyle>> = {
  allowed: { color: '#2e7d32', width: 2, label: 'allowed' },
  open: { color: '#81c784', width: 1.25, label: 'allowed, no policy applies' },
  audit: { color: '#ef6c00', dash: '2 3', width: 2, label: 'audit (would be dropped)' },
  undecided: { color: '#757575', dash: '1 4', width: 2, label: 'undecided offline' },
  denied: { color: '#c62828', dash: '6 4', width: 1.5, label: 'denied' },
};

export interface ServiceMap {
  readonly title: string;
  readonly subtitle: readonly string[];
  readonly groups: readonly MapGroup[];
  readonly edges: readonly MapEdge[];
  /** Legend entries, in order, for the edge classes present or always shown. */
  readonly legend: ReadonlyArray<{ readonly cls: EdgeClass; readonly style: EdgeStyle }>;
  /** The sentence saying which edges are drawn. */
  readonly edgeScope: string;
  readonly allEdges: boolean;
}

const CLUSTER_ENTITIES = new Set(['host', 'remote-node', 'kube-apiserver', 'health', 'ingress', 'init', 'unmanaged']);

function posture(n: MatrixNode, m: ConnectivityMatrix, direction: 'ingress' | 'egress'): MapBadge {
  if (!m.enforced.get(n.id)?.[direction]) return { text: `${direction} open`, tone: 'open' };
  const cells = m.cells.filter((c) => (direction === 'ingress' ? c.to === n.id && c.from !== 'entity:host' : c.from === n.id));
  const passes = cells.some((c) => c.verdict !== 'DROPPED');
  return cells.length > 0 && !passes ? { text: `${direction} blocked`, tone: 'blocked' } : { text: `${direction} policy`, tone: 'policy' };
}

function mapNode(n: MatrixNode, m: ConnectivityMatrix): MapNode {
  switch (n.kind) {
    case 'workload': {
      const badges: MapBadge[] = n.hostNetwork
        ? [{ text: 'host network', tone: 'open' }]
        : [posture(n, m, 'ingress'), posture(n, m, 'egress')];
      return { id: n.id, kind: n.kind, title: n.name, subtitle: n.workloadKind ?? 'Pod', badges };
    }
    case 'entity':
      return { id: n.id, kind: n.kind, title: n.name, subtitle: 'entity', badges: [] };
    case 'cidr':
      return { id: n.id, kind: n.kind, title: n.name, subtitle: `CIDR (as ${n.peer.ip})`, badges: [] };
    default:
      return {
        id: n.id, kind: n.kind, title: n.name,
        subtitle: n.examplePatterns ? `FQDN, example of ${n.examplePatterns.join(', ')}` : 'FQDN', badges: [],
      };
  }
}

export function buildServiceMap(m: ConnectivityMatrix, options: { allEdges?: boolean } = {}): ServiceMap {
  const allEdges = !!options.allEdges;
  const edges = mapEdges(m, allEdges);
  const byGroup = new Map<string, { kind: MapGroup['kind']; label: string; nodes: MapNode[] }>();
  const add = (id: string, kind: MapGroup['kind'], label: string, node: MapNode) => {
    const g = byGroup.get(id) ?? { kind, label, nodes: [] };
    g.nodes.push(node);
    byGroup.set(id, g);
  };
  for (const n of m.nodes) {
    const node = mapNode(n, m);
    if (n.kind === 'workload') add(`ns:${n.namespace}`, 'namespace', `namespace ${n.namespace}`, node);
    else if (n.kind === 'entity' && CLUSTER_ENTITIES.has(n.name)) add('cluster', 'cluster', 'nodes and cluster entities', node);
    else add('outside', 'outside', 'outside the cluster', node);
  }
  const rank = { namespace: 0, cluster: 1, outside: 2 };
  const groups = [...byGroup.entries()]
    .map(([id, g]): MapGroup => ({ id, ...g }))
    .sort((a, b) => rank[a.kind] - rank[b.kind] || compareIds(a.id, b.id));
  const present = new Set(edges.map((e) => e.cls));
  const legendClasses: EdgeClass[] = ['allowed', 'denied', 'undecided', ...(present.has('audit') ? ['audit' as const] : []), ...(allEdges ? ['open' as const] : [])];
  const fqdn = fqdnExampleSummary(m);
  return {
    title: `Service map: ${policySummary(m)}`,
    subtitle: [`${optionSummary(m)}; ${portSourceSummary(m)}`, ...(fqdn ? [fqdn] : [])],
    groups,
    edges,
    legend: legendClasses.map((cls) => ({ cls, style: EDGE_STYLES[cls] })),
    edgeScope: allEdges
      ? 'All edges (--all-edges), including flows no policy applies to.'
      : 'Denied edges only between pairs a policy names (one end\'s rule selects the other) and flows no rule decides are left out: --all-edges draws every edge.',
    allEdges,
  };
}
