import { MapEdge, mapEdgeLabel } from './edges';
import { Box, FONT, GROUP_LABEL_HEIGHT, LaidOutMap, nodeSize, Point } from './map-geometry';
import { MapGroup, MapNode } from './service-map';

/**
 * A fast, deterministic layout (linear in the nodes and edges) for the maps ELK would take
 * too long on: one namespace's drill-down (hundreds of them for a large cluster) and the
 * namespace overview of a large cluster. The focus group's nodes fill the middle column (wrapped
 * into a grid when there are many), the nodes that only send to them the left, every other node
 * the right; groups stacked in their column. Edges run from a box's side to the other's; edges
 * inside a column loop out on its right.
 */

const COLUMN_GAP = 170;
const NODE_GAP = 14;
const GROUP_GAP = 18;
const PAD = 14;
/** Rows of the middle column before it wraps into another grid column. */
const ROWS_PER_GRID_COLUMN = 40;

interface ColumnPart {
  readonly group: MapGroup;
  readonly nodes: readonly MapNode[];
}

/** `focus`: the id of the group in the middle (`ns:shop`, or `namespaces` for the overview). */
export function layoutColumns(
  map: { groups: readonly MapGroup[]; edges: readonly MapEdge[] },
  focus: string,
): LaidOutMap {
  const columns = assignColumns(map, focus);
  const groups = new Map<string, Box>();
  const nodes = new Map<string, Box>();
  let x = 8;
  let height = 0;
  const columnRight: number[] = [];
  columns.forEach((col, c) => {
    const placed = placeColumn(col, c, x, groups, nodes);
    height = Math.max(height, placed.height);
    columnRight.push(x + placed.width);
    x += placed.width + (col.length > 0 ? COLUMN_GAP : 0);
  });
  const { edges, loopRoom } = routeEdges(map.edges, nodes, columnRight);
  return {
    width: Math.ceil(Math.max(...columnRight, 0) + loopRoom + 8),
    height: Math.ceil(height),
    groups,
    nodes,
    edges,
  };
}

/** Each column: its groups (only the nodes of that column). */
function assignColumns(
  map: { groups: readonly MapGroup[]; edges: readonly MapEdge[] },
  focus: string,
): ColumnPart[][] {
  const focusIds = new Set(map.groups.filter((g) => g.id === focus).flatMap((g) => g.nodes.map((n) => n.id)));
  const sends = new Set<string>();
  const receives = new Set<string>();
  for (const e of map.edges) {
    if (!focusIds.has(e.from)) sends.add(e.from);
    if (!focusIds.has(e.to)) receives.add(e.to);
  }
  const column = (g: MapGroup, id: string) =>
    g.id === focus ? 1 : sends.has(id) && !receives.has(id) ? 0 : 2;
  const columns: ColumnPart[][] = [[], [], []];
  for (const g of map.groups) {
    for (const c of [0, 1, 2]) {
      const nodes = g.nodes.filter((n) => column(g, n.id) === c);
      if (nodes.length > 0) columns[c].push({ group: g, nodes });
    }
  }
  return columns;
}

/** Stacks a column's groups at `x`; a group of many nodes becomes a grid of sub-columns. */
function placeColumn(
  col: readonly ColumnPart[],
  c: number,
  x: number,
  groups: Map<string, Box>,
  nodes: Map<string, Box>,
): { width: number; height: number } {
  let y = 8;
  let width = 0;
  for (const { group, nodes: members } of col) {
    const top = y;
    const gridColumns = Math.ceil(members.length / ROWS_PER_GRID_COLUMN);
    const cellWidth = Math.max(0, ...members.map((n) => nodeSize(n).width));
    const rows = Math.ceil(members.length / gridColumns);
    let bottom = top + GROUP_LABEL_HEIGHT + 6;
    const rowTops: number[] = [];
    for (let r = 0, rowY = bottom; r < rows; r++) {
      rowTops.push(rowY);
      const slice = members.slice(r * gridColumns, (r + 1) * gridColumns);
      rowY += Math.max(...slice.map((n) => nodeSize(n).height)) + NODE_GAP;
      bottom = rowY;
    }
    members.forEach((n, k) => {
      const s = nodeSize(n);
      const nx = x + PAD + (k % gridColumns) * (cellWidth + NODE_GAP);
      nodes.set(n.id, { x: nx, y: rowTops[Math.floor(k / gridColumns)], width: s.width, height: s.height });
    });
    y = bottom + PAD - NODE_GAP;
    const boxWidth = Math.max(
      group.label.length * FONT.group.charWidth + 2 * PAD,
      gridColumns * (cellWidth + NODE_GAP) - NODE_GAP + 2 * PAD,
    );
    width = Math.max(width, boxWidth);
    // A group split over two columns keeps one box per column; the later one gets a suffix.
    const id = groups.has(group.id) ? `${group.id}#${c}` : group.id;
    groups.set(id, { x, y: top, width: boxWidth, height: y - top });
    y += GROUP_GAP;
  }
  // Boxes of one column share its width.
  for (const { group } of col) {
    for (const id of [group.id, `${group.id}#${c}`]) {
      const b = groups.get(id);
      if (b && b.x === x) groups.set(id, { ...b, width });
    }
  }
  return { width, height: y };
}

/** Straight edges between columns, loops on the right within one. */
function routeEdges(
  mapEdges: readonly MapEdge[],
  nodes: ReadonlyMap<string, Box>,
  columnRight: readonly number[],
): { edges: Map<string, { points: Point[]; label?: Box }>; loopRoom: number } {
  const edges = new Map<string, { points: Point[]; label?: Box }>();
  const loops = new Map<number, number>();
  const r = (v: number) => Math.round(v * 10) / 10;
  for (const e of mapEdges) {
    const a = nodes.get(e.from);
    const b = nodes.get(e.to);
    if (!a || !b) continue;
    const labelWidth = Math.ceil(mapEdgeLabel(e).length * FONT.edge.charWidth) + 6;
    const c = a.x < columnRight[0] ? 0 : a.x < columnRight[1] ? 1 : 2;
    const sameColumn = c === (b.x < columnRight[0] ? 0 : b.x < columnRight[1] ? 1 : 2);
    let route: { points: Point[]; mid: Point };
    if (sameColumn) {
      const k = (loops.get(c) ?? 0) + 1;
      loops.set(c, k);
      route = loopRoute(a, b, columnRight[c] + 10 + (k % 12) * 6);
    } else route = straightRoute(a, b, labelWidth);
    edges.set(e.id, {
      points: route.points.map((p) => ({ x: r(p.x), y: r(p.y) })),
      label: { x: r(route.mid.x), y: r(route.mid.y), width: labelWidth, height: 13 },
    });
  }
  const loopRoom = Math.max(0, ...[...loops.values()].map((k) => 10 + Math.min(k, 12) * 6 + 60));
  return { edges, loopRoom };
}

/** Same column: out of the right side, down or up, back in. */
function loopRoute(a: Box, b: Box, out: number): { points: Point[]; mid: Point } {
  const ay = a.y + a.height / 2;
  const by = b.y + b.height / 2;
  return {
    points: [
      { x: a.x + a.width, y: ay },
      { x: out, y: ay },
      { x: out, y: by },
      { x: b.x + b.width, y: by },
    ],
    mid: { x: out + 4, y: (ay + by) / 2 },
  };
}

function straightRoute(a: Box, b: Box, labelWidth: number): { points: Point[]; mid: Point } {
  const ay = a.y + a.height / 2;
  const by = b.y + b.height / 2;
  if (a.x < b.x) {
    return {
      points: [
        { x: a.x + a.width, y: ay },
        { x: b.x, y: by },
      ],
      mid: { x: (a.x + a.width + b.x) / 2 - labelWidth / 2, y: (ay + by) / 2 - 13 },
    };
  }
  // Right to left: a little lower, so a pair's two directions do not share one line.
  return {
    points: [
      { x: a.x, y: ay + 8 },
      { x: b.x + b.width, y: by + 8 },
    ],
    mid: { x: (a.x + b.x + b.width) / 2 - labelWidth / 2, y: (ay + by) / 2 + 10 },
  };
}
