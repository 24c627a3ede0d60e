import {
  EDGE_CLASSES,
  EdgeClass,
  fqdnExampleSummary,
  MapEdge,
  mapEdges,
  optionSummary,
  policySummary,
  portSourceSummary,
} from './edges';
import { ConnectivityMatrix, MatrixNode, MatrixPort } from './model';
import { compareIds, sortPorts } from './workloads';

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
  /** The matrix node id, or `ns:<name>` for a namespace of the overview. */
  readonly id: string;
  readonly kind: MatrixNode['kind'] | 'namespace';
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

export const BADGE_COLORS: Readonly<Record<MapBadge['tone'], string>> = {
  open: '#b35c00',
  policy: '#2e7d32',
  blocked: '#c62828',
};

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
  /** `workload`: a node per workload; `namespace`: the overview of a large cluster. */
  readonly level: 'workload' | 'namespace';
  /** `--namespace`: the namespace shown with its peers. */
  readonly namespace?: string;
}

export interface ServiceMapOptions {
  readonly allEdges?: boolean;
  /** Show this namespace's workloads and every node they exchange flows with. */
  readonly namespace?: string;
  /** Above this many workloads, the whole-cluster map starts at namespace level. */
  readonly workloadLimit?: number;
}

/** Beyond about this many workload boxes a map is no longer readable on a screen. */
export const DEFAULT_WORKLOAD_LIMIT = 60;

/** A `--namespace` that names no namespace of the matrix. */
export class UnknownNamespaceError extends Error {
  constructor(namespace: string, known: readonly string[]) {
    super(
      `--namespace ${namespace}: no workload of the manifests is in that namespace; namespaces with workloads: ${known.length > 0 ? known.join(', ') : 'none'}`,
    );
  }
}

const CLUSTER_ENTITIES = new Set([
  'host',
  'remote-node',
  'kube-apiserver',
  'health',
  'ingress',
  'init',
  'unmanaged',
]);

/** Per identity and direction: whether it has evaluated flows, and whether any is not dropped. */
export type Flows = Map<string, { cells: boolean; passes: boolean }>;

export function identityFlows(m: ConnectivityMatrix): { ingress: Flows; egress: Flows } {
  const ingress: Flows = new Map();
  const egress: Flows = new Map();
  const note = (into: Flows, id: string, passes: boolean) => {
    const f = into.get(id);
    if (f) f.passes ||= passes;
    else into.set(id, { cells: true, passes });
  };
  for (const c of m.identityCells) {
    if (c.from !== 'entity:host') note(ingress, c.to, c.verdict !== 'DROPPED');
    note(egress, c.from, c.verdict !== 'DROPPED');
  }
  return { ingress, egress };
}

function posture(
  n: MatrixNode,
  m: ConnectivityMatrix,
  flows: { ingress: Flows; egress: Flows },
  direction: 'ingress' | 'egress',
): MapBadge {
  if (!m.enforced.get(n.id)?.[direction]) return { text: `${direction} open`, tone: 'open' };
  const f = flows[direction].get(m.identityOf.get(n.id)!);
  return f && !f.passes
    ? { text: `${direction} blocked`, tone: 'blocked' }
    : { text: `${direction} policy`, tone: 'policy' };
}

function mapNode(n: MatrixNode, m: ConnectivityMatrix, flows: { ingress: Flows; egress: Flows }): MapNode {
  switch (n.kind) {
    case 'workload': {
      const badges: MapBadge[] = n.hostNetwork
        ? [{ text: 'host network', tone: 'open' }]
        : [posture(n, m, flows, 'ingress'), posture(n, m, flows, 'egress')];
      return { id: n.id, kind: n.kind, title: n.name, subtitle: n.workloadKind ?? 'Pod', badges };
    }
    case 'entity':
      return { id: n.id, kind: n.kind, title: n.name, subtitle: 'entity', badges: [] };
    case 'cidr':
      return { id: n.id, kind: n.kind, title: n.name, subtitle: `CIDR (as ${n.peer.ip})`, badges: [] };
    default:
      return {
        id: n.id,
        kind: n.kind,
        title: n.name,
        subtitle: n.examplePatterns ? `FQDN, example of ${n.examplePatterns.join(', ')}` : 'FQDN',
        badges: [],
      };
  }
}

function groupOf(n: MatrixNode): { id: string; kind: MapGroup['kind']; label: string } {
  if (n.kind === 'workload')
    return { id: `ns:${n.namespace}`, kind: 'namespace', label: `namespace ${n.namespace}` };
  if (n.kind === 'entity' && CLUSTER_ENTITIES.has(n.name))
    return { id: 'cluster', kind: 'cluster', label: 'nodes and cluster entities' };
  return { id: 'outside', kind: 'outside', label: 'outside the cluster' };
}

function sortGroups(
  byGroup: Map<string, { kind: MapGroup['kind']; label: string; nodes: MapNode[] }>,
): MapGroup[] {
  const rank = { namespace: 0, cluster: 1, outside: 2 };
  return [...byGroup.entries()]
    .map(([id, g]): MapGroup => ({ id, ...g }))
    .sort((a, b) => rank[a.kind] - rank[b.kind] || compareIds(a.id, b.id));
}

/** The namespaces of the matrix's workloads, sorted. */
export function mapNamespaces(m: ConnectivityMatrix): string[] {
  return [...new Set(m.nodes.filter((n) => n.kind === 'workload').map((n) => n.namespace!))].sort(compareIds);
}

/**
 * The service map. A node per workload, grouped by namespace; with `namespace`, that namespace's
 * workloads and the nodes they exchange drawn edges with; above `workloadLimit` workloads (and
 * without `namespace`), the namespace overview: a node per namespace, with edges between
 * namespaces (and to entities, CIDRs and FQDNs) aggregated per class with their flow counts.
 */
export function buildServiceMap(m: ConnectivityMatrix, options: ServiceMapOptions = {}): ServiceMap {
  const workloadCount = m.nodes.filter((n) => n.kind === 'workload').length;
  if (options.namespace !== undefined && !mapNamespaces(m).includes(options.namespace))
    throw new UnknownNamespaceError(options.namespace, mapNamespaces(m));
  if (options.namespace === undefined && workloadCount > (options.workloadLimit ?? DEFAULT_WORKLOAD_LIMIT))
    return namespaceOverview(m, options);
  return workloadMap(m, options, mapEdges(m, !!options.allEdges));
}

/** The workload-level map, from edges already computed (the page's drill-downs share them). */
export function workloadMap(
  m: ConnectivityMatrix,
  options: ServiceMapOptions,
  allMapEdges: readonly MapEdge[],
  flows = identityFlows(m),
): ServiceMap {
  const allEdges = !!options.allEdges;
  const ns = options.namespace;
  const byId = new Map(m.nodes.map((n) => [n.id, n]));
  const inFocus = (id: string) => byId.get(id)?.kind === 'workload' && byId.get(id)!.namespace === ns;
  const edges =
    ns === undefined ? [...allMapEdges] : allMapEdges.filter((e) => inFocus(e.from) || inFocus(e.to));
  const shown =
    ns === undefined
      ? undefined
      : new Set([
          ...m.nodes.filter((n) => inFocus(n.id)).map((n) => n.id),
          ...edges.flatMap((e) => [e.from, e.to]),
        ]);
  const byGroup = new Map<string, { kind: MapGroup['kind']; label: string; nodes: MapNode[] }>();
  for (const n of m.nodes) {
    if (shown && !shown.has(n.id)) continue;
    const g = groupOf(n);
    const group = byGroup.get(g.id) ?? { kind: g.kind, label: g.label, nodes: [] };
    group.nodes.push(mapNode(n, m, flows));
    byGroup.set(g.id, group);
  }
  return finish(m, sortGroups(byGroup), edges, allEdges, 'workload', ns);
}

function namespaceOverview(m: ConnectivityMatrix, options: ServiceMapOptions): ServiceMap {
  const allEdges = !!options.allEdges;
  const members = new Map(m.identities.map((i) => [i.id, i.members.length]));
  // An identity's members share its namespace (it is one of the identity labels).
  const place = new Map(
    m.identities.map((i) => [
      i.id,
      i.members[0].kind === 'workload' ? `ns:${i.members[0].namespace}` : i.members[0].id,
    ]),
  );
  const workloads = new Map<string, number>();
  for (const n of m.nodes)
    if (n.kind === 'workload') workloads.set(n.namespace!, (workloads.get(n.namespace!) ?? 0) + 1);
  // Aggregate the drawn workload-level edges, counting every flow (member pairs included).
  const agg = new Map<
    string,
    { from: string; to: string; cls: EdgeClass; flows: number; ports: Map<string, MatrixPort> }
  >();
  const inside = new Map<string, Map<EdgeClass, number>>();
  for (const e of mapEdges(m, allEdges, m.identityCells)) {
    const from = place.get(e.from)!;
    const to = place.get(e.to)!;
    const flows = e.cells.length * members.get(e.from)! * members.get(e.to)!;
    if (from === to && from.startsWith('ns:')) {
      const counts = inside.get(from) ?? new Map<EdgeClass, number>();
      counts.set(e.cls, (counts.get(e.cls) ?? 0) + flows);
      inside.set(from, counts);
      continue;
    }
    const key = `${from}->${to}:${e.cls}`;
    const a = agg.get(key) ?? { from, to, cls: e.cls, flows: 0, ports: new Map<string, MatrixPort>() };
    a.flows += flows;
    for (const p of e.ports) a.ports.set(p.text, p);
    agg.set(key, a);
  }
  const edges: MapEdge[] = [...agg.entries()]
    .sort(([a], [b]) => compareIds(a, b))
    .map(([id, a]) => ({
      id,
      from: a.from,
      to: a.to,
      cls: a.cls,
      ports: sortPorts(a.ports.values()),
      cells: [],
      label: `${a.flows} ${a.flows === 1 ? 'flow' : 'flows'}`,
    }));
  const byGroup = new Map<string, { kind: MapGroup['kind']; label: string; nodes: MapNode[] }>();
  const namespaces = [...workloads.keys()].sort(compareIds);
  byGroup.set('namespaces', {
    kind: 'namespace',
    label: `${namespaces.length} namespaces, ${m.nodes.filter((n) => n.kind === 'workload').length} workloads (click a namespace for its workloads)`,
    nodes: namespaces.map((ns): MapNode => {
      const counts = inside.get(`ns:${ns}`);
      const badges: MapBadge[] = [];
      for (const cls of EDGE_CLASSES) {
        const n = counts?.get(cls);
        if (n)
          badges.push({
            text: `${n} ${cls} inside`,
            tone: cls === 'allowed' ? 'policy' : cls === 'open' ? 'open' : 'blocked',
          });
      }
      const count = workloads.get(ns)!;
      return {
        id: `ns:${ns}`,
        kind: 'namespace',
        title: ns,
        subtitle: `namespace, ${count} ${count === 1 ? 'workload' : 'workloads'}`,
        badges,
      };
    }),
  });
  const flows = identityFlows(m);
  const linked = new Set(edges.flatMap((e) => [e.from, e.to]));
  for (const n of m.nodes) {
    if (n.kind === 'workload' || !linked.has(n.id)) continue;
    const g = groupOf(n);
    const group = byGroup.get(g.id) ?? { kind: g.kind, label: g.label, nodes: [] };
    group.nodes.push(mapNode(n, m, flows));
    byGroup.set(g.id, group);
  }
  const groups = [...byGroup.entries()].map(([id, g]): MapGroup => ({ id, ...g }));
  return finish(m, groups, edges, allEdges, 'namespace');
}

function finish(
  m: ConnectivityMatrix,
  groups: MapGroup[],
  edges: MapEdge[],
  allEdges: boolean,
  level: ServiceMap['level'],
  namespace?: string,
): ServiceMap {
  const present = new Set(edges.map((e) => e.cls));
  const legendClasses: EdgeClass[] = [
    'allowed',
    'denied',
    'undecided',
    ...(present.has('audit') ? ['audit' as const] : []),
    ...(allEdges ? ['open' as const] : []),
  ];
  const fqdn = fqdnExampleSummary(m);
  const scope = allEdges
    ? 'All edges (--all-edges), including flows no policy applies to.'
    : "Denied edges only between pairs a policy names (one end's rule selects the other) and flows no rule decides are left out: --all-edges draws every edge.";
  return {
    title: `Service map${namespace !== undefined ? ` of namespace ${namespace}` : ''}: ${policySummary(m)}`,
    subtitle: [`${optionSummary(m)}; ${portSourceSummary(m)}`, ...(fqdn ? [fqdn] : [])],
    groups,
    edges,
    legend: legendClasses.map((cls) => ({ cls, style: EDGE_STYLES[cls] })),
    edgeScope:
      level === 'namespace'
        ? `Namespace overview: edges count the flows between namespaces per class. ${scope}`
        : scope,
    allEdges,
    level,
    ...(namespace !== undefined ? { namespace } : {}),
  };
}
