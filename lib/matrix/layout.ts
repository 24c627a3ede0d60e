import type { ElkExtendedEdge, ElkNode } from 'elkjs/lib/elk-api';
import { mapEdgeLabel } from './edges';
import { layoutColumns } from './layout-columns';
import { Box, FONT, GROUP_LABEL_HEIGHT, LaidOutMap, nodeSize, Point } from './map-geometry';
import { ServiceMap } from './service-map';

/**
 * Lays the service map out with ELK's layered algorithm: groups are compound nodes, edges run
 * top to bottom (sources above destinations where cycles allow), edge labels are placed by ELK.
 * Coordinates come back absolute. The namespace overview of a cluster with more namespaces than
 * ELK lays out in a few seconds gets the column layout (layout-columns.ts) instead.
 */

function round(v: number): number {
  return Math.round(v * 10) / 10;
}

/** Above this many nodes ELK's cheaper strategies keep the layout within seconds. */
const LARGE_MAP_NODES = 80;

/** Above this many nodes even those take too long: the overview gets the column layout. */
const COLUMN_LAYOUT_NODES = 150;

/** Cheaper ELK strategies for large maps (the namespace overview of a big cluster). */
const LARGE_MAP_OPTIONS: Readonly<Record<string, string>> = {
  'elk.layered.nodePlacement.strategy': 'BRANDES_KOEPF',
  'elk.layered.thoroughness': '1',
  'elk.edgeRouting': 'POLYLINE',
};

const ROOT_OPTIONS: Readonly<Record<string, string>> = {
  'elk.algorithm': 'layered',
  'elk.direction': 'DOWN',
  'elk.hierarchyHandling': 'INCLUDE_CHILDREN',
  'elk.edgeRouting': 'ORTHOGONAL',
  'elk.layered.considerModelOrder.strategy': 'NODES_AND_EDGES',
  'elk.layered.crossingMinimization.forceNodeModelOrder': 'false',
  'elk.spacing.nodeNode': '22',
  'elk.spacing.edgeNode': '14',
  'elk.spacing.edgeEdge': '8',
  'elk.spacing.edgeLabel': '2',
  'elk.layered.spacing.nodeNodeBetweenLayers': '46',
  'elk.layered.spacing.edgeNodeBetweenLayers': '16',
  'elk.layered.spacing.edgeEdgeBetweenLayers': '8',
  'elk.layered.nodePlacement.strategy': 'NETWORK_SIMPLEX',
  'elk.edgeLabels.inline': 'false',
  'elk.padding': '[top=8,left=8,bottom=8,right=8]',
  'elk.randomSeed': '1',
};

export async function layoutServiceMap(map: ServiceMap): Promise<LaidOutMap> {
  const nodeCount = map.groups.reduce((n, g) => n + g.nodes.length, 0);
  if (map.level === 'namespace' && nodeCount > COLUMN_LAYOUT_NODES) return layoutColumns(map, 'namespaces');
  // elk.bundled.js runs in Node without a worker thread; loaded only to draw (about 0.1 s).
  const { default: ELK } = await import('elkjs/lib/elk.bundled.js');
  const result = await new ELK().layout(elkGraph(map, nodeCount > LARGE_MAP_NODES));
  return readLayout(result);
}

/** The map as ELK's graph: groups as compound nodes, edges with their label sizes. */
function elkGraph(map: ServiceMap, large: boolean): ElkNode {
  return {
    id: 'root',
    layoutOptions: { ...ROOT_OPTIONS, ...(large ? LARGE_MAP_OPTIONS : {}) },
    children: map.groups.map((g) => ({
      id: `group:${g.id}`,
      layoutOptions: {
        'elk.padding': `[top=${GROUP_LABEL_HEIGHT + 6},left=14,bottom=14,right=14]`,
        'elk.nodeLabels.placement': 'INSIDE V_TOP H_LEFT',
      },
      labels: [{ text: g.label, width: g.label.length * FONT.group.charWidth, height: 16 }],
      children: g.nodes.map((n) => ({ id: n.id, ...nodeSize(n) })),
    })),
    edges: map.edges.map((e): ElkExtendedEdge => {
      const text = mapEdgeLabel(e);
      return {
        id: e.id,
        sources: [e.from],
        targets: [e.to],
        labels: [
          {
            text,
            width: Math.ceil(text.length * FONT.edge.charWidth) + 6,
            height: 13,
            layoutOptions: { 'elk.edgeLabels.placement': 'CENTER' },
          },
        ],
      };
    }),
  };
}

function box(x: number, y: number, width: number | undefined, height: number | undefined): Box {
  return { x: round(x), y: round(y), width: round(width ?? 0), height: round(height ?? 0) };
}

/** ELK's result with absolute coordinates (ELK gives them relative to each edge's container). */
function readLayout(result: ElkNode): LaidOutMap {
  const abs = new Map<string, Point>([['root', { x: 0, y: 0 }]]);
  const groups = new Map<string, Box>();
  const nodes = new Map<string, Box>();
  for (const g of result.children ?? []) {
    const gx = g.x ?? 0;
    const gy = g.y ?? 0;
    abs.set(g.id, { x: gx, y: gy });
    groups.set(g.id.slice('group:'.length), box(gx, gy, g.width, g.height));
    for (const n of g.children ?? [])
      nodes.set(n.id, box(gx + (n.x ?? 0), gy + (n.y ?? 0), n.width, n.height));
  }
  const edges = new Map<string, { points: Point[]; label?: Box }>();
  const collect = (container: ElkNode) => {
    for (const e of container.edges ?? []) {
      const origin =
        abs.get((e as { container?: string }).container ?? container.id) ?? abs.get(container.id)!;
      const points: Point[] = [];
      for (const s of e.sections ?? []) {
        for (const p of [s.startPoint, ...(s.bendPoints ?? []), s.endPoint])
          points.push({ x: round(origin.x + p.x), y: round(origin.y + p.y) });
      }
      const l = e.labels?.[0];
      edges.set(e.id, {
        points,
        ...(l ? { label: box(origin.x + (l.x ?? 0), origin.y + (l.y ?? 0), l.width, l.height) } : {}),
      });
    }
    for (const c of container.children ?? []) collect(c);
  };
  collect(result);
  return { width: Math.ceil(result.width ?? 0), height: Math.ceil(result.height ?? 0), groups, nodes, edges };
}

export type { Box, LaidOutMap, Point } from './map-geometry';
