import { MapEdge } from './edges';
import { nodeSize } from './map-geometry';
import { MapGroup, MapNode } from './service-map';

/**
 * The column layout's pieces: each column holds parts (a group's nodes in that column, wrapped
 * into a grid above 40 rows), each part holds cells (a node with its place in the grid and the
 * edges that leave or enter each of its sides).
 */

export type Side = 'left' | 'right';

/** Rows of a part before it wraps into another grid column. */
const ROWS_PER_GRID_COLUMN = 40;

export interface Part {
  /** The group box's id: the group's id, `id#column` for its second box. */
  readonly key: string;
  readonly column: number;
  /** Its place among its column's parts, top to bottom. */
  readonly index: number;
  readonly group: MapGroup;
  readonly cells: Cell[];
  readonly gridColumns: number;
  readonly rows: number;
}

export interface Cell {
  readonly part: Part;
  readonly node: MapNode;
  readonly gridColumn: number;
  readonly row: number;
  readonly width: number;
  /** The node's box height: its text's, or more for the edges that leave or enter a side. */
  height: number;
  /** Per side, the edges (by index into the layout's routes) that leave or enter it, in port order. */
  readonly ports: Record<Side, { out: number[]; in: number[] }>;
}

/** The parts of each of the three columns: senders to the focus group | the focus group | the rest. */
export function columnParts(
  map: { groups: readonly MapGroup[]; edges: readonly MapEdge[] },
  focus: string,
): Part[][] {
  const focusIds = new Set(map.groups.filter((g) => g.id === focus).flatMap((g) => g.nodes.map((n) => n.id)));
  // The left column: nodes that only send, and only to the focus group (so no edge crosses it).
  const sendsToFocus = new Set<string>();
  const elsewhere = new Set<string>();
  for (const e of map.edges) {
    if (!focusIds.has(e.to)) elsewhere.add(e.to);
    if (!focusIds.has(e.from)) (focusIds.has(e.to) ? sendsToFocus : elsewhere).add(e.from);
  }
  const column = (g: MapGroup, id: string) =>
    g.id === focus ? 1 : sendsToFocus.has(id) && !elsewhere.has(id) ? 0 : 2;
  const columns: Part[][] = [[], [], []];
  const keys = new Set<string>();
  for (const g of map.groups) {
    for (const c of [0, 1, 2]) {
      const nodes = g.nodes.filter((n) => column(g, n.id) === c);
      if (nodes.length === 0) continue;
      // A group split over two columns keeps one box per column; the later one gets a suffix.
      const key = keys.has(g.id) ? `${g.id}#${c}` : g.id;
      keys.add(g.id);
      columns[c].push(makePart(key, c, columns[c].length, g, nodes));
    }
  }
  return columns;
}

function makePart(
  key: string,
  column: number,
  index: number,
  group: MapGroup,
  nodes: readonly MapNode[],
): Part {
  const gridColumns = Math.ceil(nodes.length / ROWS_PER_GRID_COLUMN);
  const part: Part = {
    key,
    column,
    index,
    group,
    cells: [],
    gridColumns,
    rows: Math.ceil(nodes.length / gridColumns),
  };
  nodes.forEach((node, k) => {
    const size = nodeSize(node);
    part.cells.push({
      part,
      node,
      gridColumn: k % gridColumns,
      row: Math.floor(k / gridColumns),
      width: size.width,
      height: size.height,
      ports: { left: { out: [], in: [] }, right: { out: [], in: [] } },
    });
  });
  return part;
}

/** An outgoing edge's slot: its label (13 px) above its line. */
export const OUT_PITCH = 15;
export const LABEL_HEIGHT = 13;
/** Incoming lines are this far apart, up to IN_DISTINCT of them; more share the same span. */
const IN_PITCH = 6;
const IN_DISTINCT = 8;
const SIDE_PAD = 3;

/** Grows each cell so every side fits its ports: an outgoing edge's label and line, incoming lines. */
export function fitPorts(cells: readonly Cell[]): void {
  for (const cell of cells) {
    for (const side of ['left', 'right'] as const) {
      const { out, in: incoming } = cell.ports[side];
      cell.height = Math.max(cell.height, 2 * SIDE_PAD + portSpan(out.length, incoming.length));
    }
  }
}

function portSpan(outs: number, ins: number): number {
  return outs * OUT_PITCH + Math.min(ins, IN_DISTINCT) * IN_PITCH;
}

/**
 * A port's y relative to the node's top: outgoing slots first (each its label, then its line),
 * then incoming lines; the block centred on the side.
 */
export function portOffset(cell: Cell, side: Side, dir: 'out' | 'in', k: number): number {
  const { out, in: incoming } = cell.ports[side];
  const top = (cell.height - portSpan(out.length, incoming.length)) / 2;
  if (dir === 'out') return top + k * OUT_PITCH + LABEL_HEIGHT + 1;
  const inTop = top + out.length * OUT_PITCH + IN_PITCH / 2;
  const n = incoming.length;
  const step = n <= IN_DISTINCT ? IN_PITCH : ((IN_DISTINCT - 1) * IN_PITCH) / (n - 1);
  return inTop + k * step;
}
