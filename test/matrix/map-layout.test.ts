/** The column layout (drill-downs, large overviews) keeps every map readable: checked geometrically. */
import { clusterPolicy, clusterWorkload } from '../../bench/matrix-cluster';
import { computeMatrix } from '../../lib/matrix/compute';
import { EdgeClass, MapEdge, mapEdges } from '../../lib/matrix/edges';
import { layoutColumns } from '../../lib/matrix/layout-columns';
import { ConnectivityMatrix } from '../../lib/matrix/model';
import { buildServiceMap, MapGroup, MapNode, mapNamespaces, workloadMap } from '../../lib/matrix/service-map';
import { loadManifests } from '../../lib/manifest/load';
import { chainCluster } from './chain-cluster';
import { FIXTURES } from './helpers';
import { layoutViolations } from './map-layout-check';
import * as path from 'path';

jest.setTimeout(120_000);

/** A small deterministic pseudo-random sequence. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const CLASSES: EdgeClass[] = ['allowed', 'denied', 'undecided', 'audit'];

function workload(id: string, rand: () => number): MapNode {
  return {
    id,
    kind: 'workload',
    title: id.split('/')[1] + '-x'.repeat(Math.floor(rand() * 6)),
    subtitle: 'Deployment',
    badges:
      rand() < 0.8
        ? [
            { text: 'ingress policy', tone: 'policy' },
            { text: 'egress open', tone: 'open' },
          ]
        : [],
  };
}

function group(id: string, ids: readonly string[], rand: () => number): MapGroup {
  return {
    id,
    kind: 'namespace',
    label: `namespace ${id.slice(3)}`,
    nodes: ids.map((n) => workload(n, rand)),
  };
}

function edge(from: string, to: string, cls: EdgeClass, rand: () => number): MapEdge {
  const ports = Array.from({ length: 1 + Math.floor(rand() * 5) }, (_, k) => ({
    protocol: 'TCP' as const,
    port: 8000 + k,
    text: `${8000 + k}/TCP`,
  }));
  return { id: `${from}->${to}:${cls}`, from, to, cls, ports, cells: [] };
}

interface Shape {
  readonly focus: number;
  readonly senders: number;
  readonly peers: number;
  readonly inside: number;
  readonly across: number;
  /** Edges between the other groups' nodes (an overview's entities and FQDNs have some). */
  readonly outside: number;
}

/**
 * A drill-down of `shop`: `inside` random edges between its workloads (both directions of some
 * pairs, self edges, several classes per pair), senders in `front`, peers in `db` that receive
 * and send, `across` edges between shop and the others, `outside` edges among the others.
 */
function drillDown(seed: number, s: Shape): { groups: MapGroup[]; edges: MapEdge[] } {
  const rand = random(seed);
  const ids = (ns: string, n: number) => Array.from({ length: n }, (_, k) => `${ns}/w${k}`);
  const shop = ids('shop', s.focus);
  const front = ids('front', s.senders);
  const db = ids('db', s.peers);
  const pick = (list: readonly string[]) => list[Math.floor(rand() * list.length)];
  const edges = new Map<string, MapEdge>();
  const add = (e: MapEdge) => edges.set(e.id, e);
  for (let k = 0; k < s.inside; k++) {
    const from = pick(shop);
    const to = k % 17 === 0 ? from : pick(shop);
    add(edge(from, to, pick(CLASSES) as EdgeClass, rand));
    if (k % 5 === 0) add(edge(to, from, 'allowed', rand));
  }
  for (let k = 0; k < s.across; k++) {
    if (front.length > 0) add(edge(pick(front), pick(shop), pick(CLASSES) as EdgeClass, rand));
    if (db.length > 0) add(edge(pick(shop), pick(db), pick(CLASSES) as EdgeClass, rand));
    if (db.length > 0 && k % 2 === 0) add(edge(pick(db), pick(shop), 'denied', rand));
  }
  for (let k = 0; k < s.outside; k++) add(edge(pick([...front, ...db]), pick(db), 'allowed', rand));
  const groups = [group('ns:db', db, rand), group('ns:front', front, rand), group('ns:shop', shop, rand)];
  return { groups: groups.filter((g) => g.nodes.length > 0), edges: [...edges.values()] };
}

function expectReadable(layout: ReturnType<typeof layoutColumns>, edges: readonly MapEdge[]): void {
  expect(layoutViolations(layout, edges)).toEqual([]);
  for (const e of edges) expect(layout.edges.get(e.id)?.points.length).toBeGreaterThanOrEqual(2);
}

describe.each([
  ['small', { focus: 5, senders: 2, peers: 3, inside: 14, across: 4, outside: 2 }],
  ['the 40-row wrap', { focus: 100, senders: 20, peers: 55, inside: 300, across: 80, outside: 30 }],
  [
    'hundreds of edges inside one namespace',
    { focus: 40, senders: 3, peers: 4, inside: 700, across: 10, outside: 0 },
  ],
  [
    'a namespace that only talks to itself',
    { focus: 25, senders: 0, peers: 0, inside: 200, across: 0, outside: 0 },
  ],
])('column layout, %s', (_, shape) => {
  const maps = [1, 2, 3].map((seed) => drillDown(seed, shape));

  test('labels apart from each other and from boxes, lines in lanes of their own, nothing outside', () => {
    for (const map of maps) expectReadable(layoutColumns(map, 'ns:shop'), map.edges);
  });

  test('the same drawing for any order of the edges', () => {
    const map = maps[0];
    const reversed = { ...map, edges: [...map.edges].reverse() };
    const a = layoutColumns(map, 'ns:shop');
    const b = layoutColumns(reversed, 'ns:shop');
    expect(JSON.stringify([...b.edges].sort())).toBe(JSON.stringify([...a.edges].sort()));
    expect(JSON.stringify([...b.nodes])).toBe(JSON.stringify([...a.nodes]));
  });
});

test('a self edge is drawn, and a pair in both directions gets two distinct lines and labels', () => {
  const rand = random(7);
  const map = {
    groups: [group('ns:shop', ['shop/a', 'shop/b'], rand)],
    edges: [
      edge('shop/a', 'shop/a', 'allowed', rand),
      edge('shop/a', 'shop/b', 'allowed', rand),
      edge('shop/b', 'shop/a', 'allowed', rand),
      edge('shop/a', 'shop/b', 'denied', rand),
    ],
  };
  const layout = layoutColumns(map, 'ns:shop');
  expectReadable(layout, map.edges);
  const self = layout.edges.get('shop/a->shop/a:allowed')!;
  expect(self.points.length).toBe(4);
  expect(self.points[0]).not.toEqual(self.points[3]);
  const lines = map.edges.map((e) => JSON.stringify(layout.edges.get(e.id)!.points));
  expect(new Set(lines).size).toBe(lines.length);
});

const HOMELAB = ['homelab-policies.k8s.yaml', 'homelab-workloads.k8s.yaml', 'homelab-helm-workloads.yaml'];

function homelab(): ConnectivityMatrix {
  return computeMatrix({ policies: loadManifests(HOMELAB.map((f) => path.join(FIXTURES, f))) });
}

function drillDowns(m: ConnectivityMatrix, allEdges: boolean, namespaces = mapNamespaces(m)) {
  const edges = mapEdges(m, allEdges);
  return namespaces.map((ns) => {
    const map = workloadMap(m, { namespace: ns, allEdges }, edges);
    return { ns, map, layout: layoutColumns(map, `ns:${ns}`) };
  });
}

test("the homelab's drill-downs, every edge drawn", () => {
  const m = homelab();
  for (const allEdges of [false, true])
    for (const { map, layout } of drillDowns(m, allEdges)) expectReadable(layout, map.edges);
});

describe("the bench's large cluster (2,000 workloads, 5,000 policies)", () => {
  const WORKLOADS = 2000;
  let m: ConnectivityMatrix;
  beforeAll(() => {
    const sourced = (manifest: ReturnType<typeof clusterWorkload>, i: number) => ({
      manifest,
      file: 'g.yaml',
      line: i + 1,
    });
    // As the bench: the generated cluster plus the homelab's workloads and policies.
    const homelabManifests = loadManifests([
      path.join(FIXTURES, '..', 'hubble', 'homelab-policies.yaml'),
      path.join(FIXTURES, 'homelab-workloads.k8s.yaml'),
    ]);
    m = computeMatrix({
      policies: [
        ...Array.from({ length: 5000 }, (_, j) => clusterPolicy(j, WORKLOADS)).map(sourced),
        ...homelabManifests,
      ],
      workloads: Array.from({ length: WORKLOADS }, (_, i) => clusterWorkload(i, WORKLOADS)).map(sourced),
    });
  });

  test('the namespace overview (a grid of 400 namespaces)', () => {
    const map = buildServiceMap(m);
    expect(map.level).toBe('namespace');
    expectReadable(layoutColumns(map, 'namespaces'), map.edges);
  });

  test("drill-downs (generated namespaces and the homelab's kube-system)", () => {
    for (const { map, layout } of drillDowns(m, false, ['kube-system', 'ns0', 'ns7', 'ns399']))
      expectReadable(layout, map.edges);
  });
});

describe('a cluster whose 400 namespaces talk to each other (2,000 workloads)', () => {
  let m: ConnectivityMatrix;
  beforeAll(() => {
    m = computeMatrix({
      policies: chainCluster(2000, 400).map((manifest, i) => ({ manifest, file: 'c.yaml', line: i + 1 })),
    });
  });

  test('the overview: edges between namespaces inside the grid and out of it', () => {
    const map = buildServiceMap(m);
    expect(
      map.edges.filter((e) => e.from.startsWith('ns:') && e.to.startsWith('ns:')).length,
    ).toBeGreaterThanOrEqual(400);
    expectReadable(layoutColumns(map, 'namespaces'), map.edges);
  });

  test('every drill-down', () => {
    for (const { map, layout } of drillDowns(m, false)) expectReadable(layout, map.edges);
  });
});
