import type { ElkExtendedEdge, ElkNode } from 'elkjs/lib/elk-api';
import { mapEdgeLabel, shortPortList } from './edges';
import { MapNode, ServiceMap } from './service-map';

/**
 * Lays the service map out with ELK's layered algorithm: groups are compound nodes, edges run
 * top to bottom (sources above destinations where cycles allow), edge labels are placed by ELK. Coordinates come back absolute.
 */

// elk.bundled.js runs in Node without a worker thread.
// eslint-disable-next-line @typescript-eslint/no-var-requires
const ELK = require('elkjs/lib/elk.bundled.js') as new () => { layout(graph: ElkNode): Promise<ElkNode> };

export interface Point {
  readonly x: number;
  readonly y: number;
}

export interface Box {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

export interface LaidOutMap {
  readonly width: number;
  readonly height: number;
  readonly groups: ReadonlyMap<string, Box>;
  readonly nodes: ReadonlyMap<string, Box>;
  /** Per edge id: the polyline and the label box. */
  readonly edges: ReadonlyMap<string, { readonly points: readonly Point[]; readonly label?: Box }>;
}

/** Sizes in px for the fonts the SVG uses (system sans-serif); generous so text fits in any browser. */
export const FONT = {
  title: { size: 13, charWidth: 7.9 },
  sub: { size: 11, charWidth: 6.4 },
  badge: { size: 10, charWidth: 6.0 },
  edge: { size: 10, charWidth: 6.2 },
  group: { size: 12, charWidth: 7.4 },
};

export const NODE_PADDING_X = 14;
export const LINE_HEIGHT = 15;
export const GROUP_LABEL_HEIGHT = 28;

export function nodeSize(n: MapNode): { width: number; height: number } {
  const badges = n.badges.map((b) => b.text).join(' · ');
  const width =
    Math.max(
      n.title.length * FONT.title.charWidth,
      n.subtitle.length * FONT.sub.charWidth,
      badges.length * FONT.badge.charWidth,
    ) +
    2 * NODE_PADDING_X;
  const lines = 2 + (n.badges.length > 0 ? 1 : 0);
  return { width: Math.ceil(Math.max(width, 110)), height: 14 + lines * LINE_HEIGHT };
}

export function edgeLabel(ports: Parameters<typeof shortPortList>[0]): string {
  return shortPortList(ports);
}

function round(v: number): number {
  return Math.round(v * 10) / 10;
}

/** Above this many nodes ELK's cheaper strategies keep the layout within seconds. */
const LARGE_MAP_NODES = 80;

/** Cheaper ELK strategies for large maps (the namespace overview of a big cluster). */
const LARGE_MAP_OPTIONS: Readonly<Record<string, string>> = {
  'elk.layered.nodePlacement.strategy': 'BRANDES_KOEPF',
  'elk.layered.thoroughness': '1',
  'elk.edgeRouting': 'POLYLINE',
};

export async function layoutServiceMap(map: ServiceMap): Promise<LaidOutMap> {
  const large = map.groups.reduce((n, g) => n + g.nodes.length, 0) > LARGE_MAP_NODES;
  const graph: ElkNode = {
    id: 'root',
    layoutOptions: {
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
      ...(large ? LARGE_MAP_OPTIONS : {}),
    },
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
  const result = await new ELK().layout(graph);

  const abs = new Map<string, Point>([['root', { x: 0, y: 0 }]]);
  const groups = new Map<string, Box>();
  const nodes = new Map<string, Box>();
  for (const g of result.children ?? []) {
    const gx = g.x ?? 0;
    const gy = g.y ?? 0;
    abs.set(g.id, { x: gx, y: gy });
    groups.set(g.id.slice('group:'.length), {
      x: round(gx),
      y: round(gy),
      width: round(g.width ?? 0),
      height: round(g.height ?? 0),
    });
    for (const n of g.children ?? []) {
      nodes.set(n.id, {
        x: round(gx + (n.x ?? 0)),
        y: round(gy + (n.y ?? 0)),
        width: round(n.width ?? 0),
        height: round(n.height ?? 0),
      });
    }
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
        ...(l
          ? {
              label: {
                x: round(origin.x + (l.x ?? 0)),
                y: round(origin.y + (l.y ?? 0)),
                width: round(l.width ?? 0),
                height: round(l.height ?? 0),
              },
            }
          : {}),
      });
    }
    for (const c of container.children ?? []) collect(c);
  };
  collect(result);
  return { width: Math.ceil(result.width ?? 0), height: Math.ceil(result.height ?? 0), groups, nodes, edges };
}
