import { Cell, Side } from './column-parts';
import { MapEdge, mapEdgeLabel } from './edges';
import { FONT } from './map-geometry';
import { compareStrings } from '../util/order';

/**
 * The shape of each edge's route in the column layout, before coordinates. Every edge leaves its
 * source by a port of its own (its label just above the line) and enters its destination by
 * another. `loop`: both ends in one grid column of one group: out of the right side into the
 * corridor right of that grid column, along a lane, back in. `grid`: one group, two grid columns:
 * from the source's corridor along a channel (a gap between rows) to the destination's corridor.
 * `outer`: two groups of one column: out of the source's group, along a lane right of the
 * column's boxes, into the destination's group. `cross`: between columns. A node in an inner grid
 * column reaches its group's border along a channel, so no route crosses another node's box.
 */

export type RouteKind = 'loop' | 'grid' | 'outer' | 'cross';

export interface EdgeRoute {
  readonly edge: MapEdge;
  readonly labelWidth: number;
  readonly a: Cell;
  readonly b: Cell;
  readonly kind: RouteKind;
  readonly outSide: Side;
  readonly inSide: Side;
  /** outer, cross: the border of the source's group the route leaves by, of the destination's it enters by. */
  readonly exitBorder?: Side;
  readonly enterBorder?: Side;
  /** The channel of the source's group the route leaves along, of the destination's it enters along. */
  readonly exitChannel?: number;
  readonly enterChannel?: number;
  /** Filled in as the layout goes: port slots, lanes and tracks (-1: none). */
  outSlot: number;
  inSlot: number;
  srcLane: number;
  dstLane: number;
  outerLane: number;
  srcTrack: number;
  dstTrack: number;
}

type Shape = Pick<
  EdgeRoute,
  'kind' | 'outSide' | 'inSide' | 'exitBorder' | 'enterBorder' | 'exitChannel' | 'enterChannel'
>;

/** Routes of the edges whose ends are laid out, each registered with its ends' ports. */
export function planRoutes(edges: readonly MapEdge[], cells: ReadonlyMap<string, Cell>): EdgeRoute[] {
  const routes: EdgeRoute[] = [];
  for (const edge of edges) {
    const a = cells.get(edge.from);
    const b = cells.get(edge.to);
    if (!a || !b) continue;
    const route: EdgeRoute = {
      edge,
      labelWidth: Math.ceil(mapEdgeLabel(edge).length * FONT.edge.charWidth) + 6,
      a,
      b,
      ...shape(a, b),
      outSlot: -1,
      inSlot: -1,
      srcLane: -1,
      dstLane: -1,
      outerLane: -1,
      srcTrack: -1,
      dstTrack: -1,
    };
    a.ports[route.outSide].out.push(routes.length);
    b.ports[route.inSide].in.push(routes.length);
    routes.push(route);
  }
  return routes;
}

function shape(a: Cell, b: Cell): Shape {
  if (a.part === b.part) {
    if (a.gridColumn === b.gridColumn) return { kind: 'loop', outSide: 'right', inSide: 'right' };
    const channel = b.row > a.row ? a.row + 1 : a.row;
    return { kind: 'grid', outSide: 'right', inSide: 'right', exitChannel: channel, enterChannel: channel };
  }
  const ca = a.part.column;
  const cb = b.part.column;
  const exitBorder: Side = ca > cb ? 'left' : 'right';
  const enterBorder: Side = ca < cb ? 'left' : 'right';
  const lastColumn = (c: Cell) => c.gridColumn === c.part.gridColumns - 1;
  // A border is reached directly from the grid column next to it, else along the channel below the row.
  const exitDirect = exitBorder === 'left' ? a.gridColumn === 0 : lastColumn(a);
  const enterDirect = enterBorder === 'left' ? b.gridColumn === 0 : lastColumn(b);
  return {
    kind: ca === cb ? 'outer' : 'cross',
    outSide: exitDirect ? exitBorder : 'right',
    inSide: enterDirect ? enterBorder : 'right',
    exitBorder,
    enterBorder,
    ...(exitDirect ? {} : { exitChannel: a.row + 1 }),
    ...(enterDirect ? {} : { enterChannel: b.row }),
  };
}

/** Orders each side's ports by where the other end sits (top to bottom), then by edge id. */
export function orderPorts(routes: EdgeRoute[], cells: Iterable<Cell>): void {
  const place = (c: Cell) => [c.part.column, c.part.index, c.row, c.gridColumn];
  const compare = (x: Cell, y: Cell, ex: EdgeRoute, ey: EdgeRoute) => {
    const px = place(x);
    const py = place(y);
    for (let i = 0; i < px.length; i++) if (px[i] !== py[i]) return px[i] - py[i];
    return compareStrings(ex.edge.id, ey.edge.id);
  };
  for (const cell of cells) {
    for (const side of ['left', 'right'] as const) {
      const { out, in: incoming } = cell.ports[side];
      out.sort((x, y) => compare(routes[x].b, routes[y].b, routes[x], routes[y]));
      incoming.sort((x, y) => compare(routes[x].a, routes[y].a, routes[x], routes[y]));
      out.forEach((r, k) => (routes[r].outSlot = k));
      incoming.forEach((r, k) => (routes[r].inSlot = k));
    }
  }
}
