import { Cell, Part, portOffset, Side } from './column-parts';
import { borderX, ColumnAcross, LANE_PITCH, PartAcross, PartDown, PartNeeds } from './column-place';
import { EdgeRoute } from './column-routes';
import { assignLanes } from './lanes';

/**
 * Lanes (vertical) and tracks (horizontal) for the column layout's routes: two segments that
 * share a lane or a track never overlap, and keep at least SEGMENT_GAP apart.
 */

const SEGMENT_GAP = 6;

/** Intervals per corridor or channel, each with what to do with the lane it gets. */
class Pool {
  private readonly byKey = new Map<string, Array<{ lo: number; hi: number; set: (lane: number) => void }>>();

  add(key: string, a: number, b: number, set: (lane: number) => void): void {
    const list = this.byKey.get(key) ?? [];
    list.push({ lo: Math.min(a, b), hi: Math.max(a, b), set });
    this.byKey.set(key, list);
  }

  /** Assigns the lanes; returns how many each key needed. */
  solve(): Map<string, number> {
    const counts = new Map<string, number>();
    for (const [key, list] of this.byKey) {
      const { lanes, count } = assignLanes(list, SEGMENT_GAP);
      list.forEach((item, i) => item.set(lanes[i]));
      counts.set(key, count);
    }
    return counts;
  }
}

const corridorKey = (part: Part, j: number) => `${part.column}/${part.key}/${j}`;

export function portY(cell: Cell, down: PartDown, side: Side, dir: 'out' | 'in', slot: number): number {
  return down.rowTop[cell.row] + portOffset(cell, side, dir, slot);
}

/**
 * Lanes of the corridors right of each grid column and right of each column's boxes, from the
 * y of the ports and channels (a segment ending in a channel counts as spanning all of it: its
 * track is not known yet, and tracks only widen channels). Fills `needs.lanes`; returns each
 * column's own lanes.
 */
export function assignVertical(
  routes: readonly EdgeRoute[],
  down: ReadonlyMap<Part, PartDown>,
  needs: ReadonlyMap<Part, PartNeeds>,
): number[] {
  const pool = new Pool();
  const span = (part: Part, channel: number): [number, number] => {
    const d = down.get(part)!;
    return [d.channelTop[channel], d.channelTop[channel] + d.channelHeight[channel]];
  };
  for (const r of routes) {
    const { a, b } = r;
    const yOut = portY(a, down.get(a.part)!, r.outSide, 'out', r.outSlot);
    const yIn = portY(b, down.get(b.part)!, r.inSide, 'in', r.inSlot);
    const exit = r.exitChannel !== undefined ? span(a.part, r.exitChannel) : [yOut, yOut];
    const enter = r.enterChannel !== undefined ? span(b.part, r.enterChannel) : [yIn, yIn];
    if (r.kind === 'loop')
      pool.add(corridorKey(a.part, a.gridColumn), yOut, yIn, (lane) => (r.srcLane = lane));
    if (r.exitChannel !== undefined)
      pool.add(
        corridorKey(a.part, a.gridColumn),
        Math.min(yOut, ...exit),
        Math.max(yOut, ...exit),
        (lane) => (r.srcLane = lane),
      );
    if (r.enterChannel !== undefined)
      pool.add(
        corridorKey(b.part, b.gridColumn),
        Math.min(yIn, ...enter),
        Math.max(yIn, ...enter),
        (lane) => (r.dstLane = lane),
      );
    if (r.kind === 'outer')
      pool.add(
        `outer/${a.part.column}`,
        Math.min(...exit, ...enter),
        Math.max(...exit, ...enter),
        (lane) => (r.outerLane = lane),
      );
  }
  const counts = pool.solve();
  for (const [part, need] of needs)
    need.lanes.forEach((_, j) => (need.lanes[j] = counts.get(corridorKey(part, j)) ?? 0));
  return [0, 1, 2].map((c) => counts.get(`outer/${c}`) ?? 0);
}

export function laneX(across: PartAcross, gridColumn: number, lane: number): number {
  return across.laneStart[gridColumn] + lane * LANE_PITCH;
}

/** Tracks of the channels, from the x of the lanes and borders they join. Fills `needs.tracks`. */
export function assignHorizontal(
  routes: readonly EdgeRoute[],
  across: { parts: ReadonlyMap<Part, PartAcross>; columns: readonly ColumnAcross[] },
  needs: ReadonlyMap<Part, PartNeeds>,
): void {
  const pool = new Pool();
  const key = (part: Part, channel: number) => `${part.column}/${part.key}/${channel}`;
  for (const r of routes) {
    const { a, b } = r;
    const src = () => laneX(across.parts.get(a.part)!, a.gridColumn, r.srcLane);
    const dst = () => laneX(across.parts.get(b.part)!, b.gridColumn, r.dstLane);
    if (r.kind === 'grid') {
      pool.add(key(a.part, r.exitChannel!), src(), dst(), (t) => ((r.srcTrack = t), (r.dstTrack = t)));
      continue;
    }
    if (r.exitChannel !== undefined)
      pool.add(
        key(a.part, r.exitChannel),
        src(),
        borderX(across.columns[a.part.column], r.exitBorder!),
        (t) => (r.srcTrack = t),
      );
    if (r.enterChannel !== undefined)
      pool.add(
        key(b.part, r.enterChannel),
        borderX(across.columns[b.part.column], r.enterBorder!),
        dst(),
        (t) => (r.dstTrack = t),
      );
  }
  const counts = pool.solve();
  for (const [part, need] of needs)
    need.tracks.forEach((_, ch) => (need.tracks[ch] = counts.get(key(part, ch)) ?? 0));
}
