import { assignHorizontal, assignVertical, laneX, portY } from './column-lanes';
import { Cell, columnParts, fitPorts, LABEL_HEIGHT, Part } from './column-parts';
import {
  borderX,
  cellBox,
  ColumnAcross,
  emptyNeeds,
  LABEL_GAP,
  LANE_PITCH,
  PartAcross,
  PartDown,
  PartNeeds,
  placeAcross,
  placeDown,
  trackY,
} from './column-place';
import { EdgeRoute, orderPorts, planRoutes } from './column-routes';
import { MapEdge } from './edges';
import { Box, LaidOutMap, Point } from './map-geometry';
import { MapGroup } from './service-map';
import { compareStrings } from '../util/order';

/**
 * A fast, deterministic layout (O(n log n) in the nodes and edges) for the maps ELK would take
 * too long on: one namespace's drill-down (hundreds of them for a large cluster) and the
 * namespace overview of a large cluster. The focus group's nodes fill the middle column (wrapped
 * into a grid when there are many), the nodes that only send to them the left, every other node
 * the right; groups stacked in their column. Each edge's label sits where it leaves its source,
 * above its line; edges inside a column run along lanes and the gaps between rows (see
 * column-routes.ts), so labels never overlap each other or a node, and lines never cross a node
 * of their column.
 */

interface Placed {
  readonly across: { parts: Map<Part, PartAcross>; columns: ColumnAcross[] };
  readonly down: Map<Part, PartDown>;
}

/** `focus`: the id of the group in the middle (`ns:shop`, or `namespaces` for the overview). */
export function layoutColumns(
  map: { groups: readonly MapGroup[]; edges: readonly MapEdge[] },
  focus: string,
): LaidOutMap {
  const edges = [...map.edges].sort((x, y) => compareStrings(x.id, y.id));
  const columns = columnParts({ groups: map.groups, edges }, focus);
  const cells = new Map<string, Cell>();
  for (const part of columns.flat()) for (const cell of part.cells) cells.set(cell.node.id, cell);
  const routes = planRoutes(edges, cells);
  orderPorts(routes, cells.values());
  fitPorts([...cells.values()]);
  const needs = new Map(columns.flat().map((part): [Part, PartNeeds] => [part, emptyNeeds(part)]));
  for (const r of routes) labelRoom(r, needs.get(r.a.part)!);
  const outerLanes = assignVertical(routes, placeDown(columns, needs), needs);
  const across = placeAcross(columns, needs, outerLanes);
  assignHorizontal(routes, across, needs);
  return draw(columns, routes, { across, down: placeDown(columns, needs) });
}

function labelRoom(r: EdgeRoute, need: PartNeeds): void {
  if (r.outSide === 'left') need.leftLabel = Math.max(need.leftLabel, r.labelWidth);
  else need.rightLabel[r.a.gridColumn] = Math.max(need.rightLabel[r.a.gridColumn], r.labelWidth);
}

function draw(
  columns: readonly (readonly Part[])[],
  routes: readonly EdgeRoute[],
  placed: Placed,
): LaidOutMap {
  const groups = new Map<string, Box>();
  const nodes = new Map<string, Box>();
  const edges = new Map<string, { points: Point[]; label?: Box }>();
  let width = 0;
  let height = 0;
  const grow = (b: Box) => {
    width = Math.max(width, b.x + b.width);
    height = Math.max(height, b.y + b.height);
  };
  for (const part of columns.flat()) {
    const column = placed.across.columns[part.column];
    const down = placed.down.get(part)!;
    const box = { x: column.left, y: down.top, width: column.boxWidth, height: down.height };
    groups.set(part.key, round(box));
    grow(box);
    for (const cell of part.cells)
      nodes.set(cell.node.id, round(cellBox(cell, placed.across.parts.get(part)!, down)));
  }
  for (const r of routes) {
    const points = dedupe(routePoints(r, placed)).map((p) => ({ x: r1(p.x), y: r1(p.y) }));
    const label = round(labelBox(r, placed));
    edges.set(r.edge.id, { points, label });
    grow(label);
    for (const p of points) grow({ ...p, width: 0, height: 0 });
  }
  for (const c of placed.across.columns) grow({ x: c.right, y: 0, width: 0, height: 0 });
  return { width: Math.ceil(width + 8), height: Math.ceil(height + 8), groups, nodes, edges };
}

/** Just above the line where the edge leaves its source. */
function labelBox(r: EdgeRoute, placed: Placed): Box {
  const a = at(r.a, placed);
  const y = portY(r.a, a.down, r.outSide, 'out', r.outSlot) - LABEL_HEIGHT - 1;
  const x = r.outSide === 'right' ? a.box.x + a.box.width + LABEL_GAP : a.box.x - LABEL_GAP - r.labelWidth;
  return { x, y, width: r.labelWidth, height: LABEL_HEIGHT };
}

function at(cell: Cell, placed: Placed) {
  const across = placed.across.parts.get(cell.part)!;
  const down = placed.down.get(cell.part)!;
  return { across, down, box: cellBox(cell, across, down), column: placed.across.columns[cell.part.column] };
}

function routePoints(r: EdgeRoute, placed: Placed): Point[] {
  const a = at(r.a, placed);
  const b = at(r.b, placed);
  const yOut = portY(r.a, a.down, r.outSide, 'out', r.outSlot);
  const yIn = portY(r.b, b.down, r.inSide, 'in', r.inSlot);
  const start = { x: r.outSide === 'right' ? a.box.x + a.box.width : a.box.x, y: yOut };
  const end = { x: r.inSide === 'right' ? b.box.x + b.box.width : b.box.x, y: yIn };
  const src = laneX(a.across, r.a.gridColumn, r.srcLane);
  const dst = laneX(b.across, r.b.gridColumn, r.dstLane);
  if (r.kind === 'loop') return [start, { x: src, y: yOut }, { x: src, y: yIn }, end];
  if (r.kind === 'grid') {
    const yt = trackY(a.down, r.exitChannel!, r.srcTrack);
    return [start, { x: src, y: yOut }, { x: src, y: yt }, { x: dst, y: yt }, { x: dst, y: yIn }, end];
  }
  const exit = exitLeg(r, a, start, src);
  const enter = enterLeg(r, b, end, dst);
  const ye = exit[exit.length - 1].y;
  const yn = enter[0].y;
  if (r.kind === 'outer') {
    const x = a.column.left + a.column.boxWidth + 8 + r.outerLane * LANE_PITCH;
    return [...exit, { x, y: ye }, { x, y: yn }, ...enter];
  }
  const leaving = r.exitBorder === 'right' ? a.column.right : a.column.left;
  const arriving = r.enterBorder === 'right' ? b.column.right : b.column.left;
  return [...exit, { x: leaving, y: ye }, { x: arriving, y: yn }, ...enter];
}

type At = ReturnType<typeof at>;

/** From the source's port to its group's border: straight, or by its corridor and a channel. */
function exitLeg(r: EdgeRoute, a: At, start: Point, lane: number): Point[] {
  const border = borderX(a.column, r.exitBorder!);
  if (r.exitChannel === undefined) return [start, { x: border, y: start.y }];
  const y = trackY(a.down, r.exitChannel, r.srcTrack);
  return [start, { x: lane, y: start.y }, { x: lane, y }, { x: border, y }];
}

/** From the destination's group border to its port. */
function enterLeg(r: EdgeRoute, b: At, end: Point, lane: number): Point[] {
  const border = borderX(b.column, r.enterBorder!);
  if (r.enterChannel === undefined) return [{ x: border, y: end.y }, end];
  const y = trackY(b.down, r.enterChannel, r.dstTrack);
  return [{ x: border, y }, { x: lane, y }, { x: lane, y: end.y }, end];
}

function dedupe(points: readonly Point[]): Point[] {
  return points.filter((p, i) => i === 0 || p.x !== points[i - 1].x || p.y !== points[i - 1].y);
}

function r1(v: number): number {
  return Math.round(v * 10) / 10;
}

function round(b: Box): Box {
  return { x: r1(b.x), y: r1(b.y), width: r1(b.width), height: r1(b.height) };
}
