import { Cell, Part, Side } from './column-parts';
import { FONT, GROUP_LABEL_HEIGHT } from './map-geometry';

/**
 * Where the column layout's pieces go. Across: per column its parts side by side with the same
 * width, each part's grid columns with a corridor on their right (the labels of the edges that
 * leave their nodes' right sides, then the vertical lanes), the column's own lanes right of its
 * boxes. Down: per part its caption, then rows with a channel (horizontal tracks) above, between
 * and below them.
 */

const COLUMN_GAP = 170;
const NODE_GAP = 14;
const GROUP_GAP = 18;
const PAD = 14;
export const LANE_PITCH = 6;
export const TRACK_PITCH = 5;
/** Between a node's side and the labels of the edges leaving it. */
export const LABEL_GAP = 3;

/** What a part needs room for: labels per side, lanes per corridor, tracks per channel. */
export interface PartNeeds {
  /** The widest label leaving a node's left side (0: none). */
  leftLabel: number;
  /** Per grid column: the widest label leaving its nodes' right sides, the lanes of its corridor. */
  readonly rightLabel: number[];
  readonly lanes: number[];
  /** Per channel (rows + 1). */
  readonly tracks: number[];
}

export function emptyNeeds(part: Part): PartNeeds {
  return {
    leftLabel: 0,
    rightLabel: new Array<number>(part.gridColumns).fill(0),
    lanes: new Array<number>(part.gridColumns).fill(0),
    tracks: new Array<number>(part.rows + 1).fill(0),
  };
}

export interface PartAcross {
  readonly cellLeft: number[];
  readonly laneStart: number[];
}

export interface ColumnAcross {
  readonly left: number;
  readonly boxWidth: number;
  /** Right of the column's own lanes. */
  readonly right: number;
}

/** Columns left to right; `outerLanes`: per column, the lanes right of its boxes. */
export function placeAcross(
  columns: readonly (readonly Part[])[],
  needs: ReadonlyMap<Part, PartNeeds>,
  outerLanes: readonly number[],
): { parts: Map<Part, PartAcross>; columns: ColumnAcross[] } {
  const parts = new Map<Part, PartAcross>();
  const out: ColumnAcross[] = [];
  let x = 8;
  columns.forEach((col, c) => {
    let boxWidth = 0;
    for (const part of col) {
      const placed = placePartAcross(part, needs.get(part)!, x);
      parts.set(part, placed.across);
      boxWidth = Math.max(boxWidth, placed.width);
    }
    const right = x + boxWidth + (outerLanes[c] > 0 ? 16 + (outerLanes[c] - 1) * LANE_PITCH : 0);
    out.push({ left: x, boxWidth, right });
    x = col.length > 0 ? right + COLUMN_GAP : x;
  });
  return { parts, columns: out };
}

function placePartAcross(part: Part, need: PartNeeds, left: number): { across: PartAcross; width: number } {
  const cellWidth = new Array<number>(part.gridColumns).fill(0);
  for (const cell of part.cells)
    cellWidth[cell.gridColumn] = Math.max(cellWidth[cell.gridColumn], cell.width);
  const cellLeft: number[] = [];
  const laneStart: number[] = [];
  let x = left + PAD + (need.leftLabel > 0 ? need.leftLabel + 2 * LABEL_GAP : 0);
  for (let j = 0; j < part.gridColumns; j++) {
    cellLeft.push(x);
    x += cellWidth[j] + (need.rightLabel[j] > 0 ? need.rightLabel[j] + 2 * LABEL_GAP : 0);
    laneStart.push(x + 8);
    if (need.lanes[j] > 0) x += 16 + (need.lanes[j] - 1) * LANE_PITCH;
    if (j < part.gridColumns - 1) x += NODE_GAP;
  }
  const width = Math.max(x + PAD - left, part.group.label.length * FONT.group.charWidth + 2 * PAD);
  return { across: { cellLeft, laneStart }, width };
}

export interface PartDown {
  readonly top: number;
  readonly height: number;
  readonly rowTop: number[];
  /** Per channel: its top and height. */
  readonly channelTop: number[];
  readonly channelHeight: number[];
}

/** Each column's parts stacked top to bottom. */
export function placeDown(
  columns: readonly (readonly Part[])[],
  needs: ReadonlyMap<Part, PartNeeds>,
): Map<Part, PartDown> {
  const out = new Map<Part, PartDown>();
  for (const col of columns) {
    let y = 8;
    for (const part of col) {
      const placed = placePartDown(part, needs.get(part)!.tracks, y);
      out.set(part, placed);
      y += placed.height + GROUP_GAP;
    }
  }
  return out;
}

function placePartDown(part: Part, tracks: readonly number[], top: number): PartDown {
  const rowHeight = new Array<number>(part.rows).fill(0);
  for (const cell of part.cells) rowHeight[cell.row] = Math.max(rowHeight[cell.row], cell.height);
  const rowTop: number[] = [];
  const channelTop: number[] = [];
  const channelHeight: number[] = [];
  let y = top + GROUP_LABEL_HEIGHT + 6;
  for (let r = 0; r <= part.rows; r++) {
    const inner = r > 0 && r < part.rows;
    const room = tracks[r] > 0 ? (tracks[r] - 1) * TRACK_PITCH + 8 : 0;
    channelTop.push(y);
    channelHeight.push(inner ? Math.max(NODE_GAP, room) : room);
    y += channelHeight[r];
    if (r < part.rows) {
      rowTop.push(y);
      y += rowHeight[r];
    }
  }
  return { top, height: y + PAD - top, rowTop, channelTop, channelHeight };
}

/** A track's y in a channel. */
export function trackY(down: PartDown, channel: number, track: number): number {
  return down.channelTop[channel] + 4 + track * TRACK_PITCH;
}

/** A part's box edge on one side. */
export function borderX(column: ColumnAcross, side: Side): number {
  return side === 'left' ? column.left : column.left + column.boxWidth;
}

/** The node's box. */
export function cellBox(cell: Cell, across: PartAcross, down: PartDown) {
  return {
    x: across.cellLeft[cell.gridColumn],
    y: down.rowTop[cell.row],
    width: cell.width,
    height: cell.height,
  };
}
