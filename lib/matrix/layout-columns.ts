import { mapEdgeLabel } from './edges';
import { Box, FONT, GROUP_LABEL_HEIGHT, LaidOutMap, nodeSize, Point } from './layout';
import { MapGroup, ServiceMap } from './service-map';

/**
 * A fast, deterministic layout for one namespace's map (the HTML page's drill-downs, hundreds of
 * them for a large cluster): the namespace's workloads in the middle column, the nodes that only
 * send to them on the left, every other peer on the right; groups stacked in their column.
 * Edges run from a box's side to the other's; edges inside a column loop out on its right.
 */

const COLUMN_GAP = 170;
const NODE_GAP = 14;
const GROUP_GAP = 18;
const PAD = 14;

export function layoutColumns(map: ServiceMap, focus: string): LaidOutMap {
  const inFocus = (g: MapGroup) => g.id === `ns:${focus}`;
  const focusIds = new Set(map.groups.filter(inFocus).flatMap((g) => g.nodes.map((n) => n.id)));
  const sendsOnly = new Set<string>();
  const receives = new Set<string>();
  for (const e of map.edges) {
    if (!focusIds.has(e.from)) sendsOnly.add(e.from);
    if (!focusIds.has(e.to)) receives.add(e.to);
  }
  const column = (g: MapGroup, id: string) =>
    inFocus(g) ? 1 : sendsOnly.has(id) && !receives.has(id) ? 0 : 2;

  // Each column: its groups (only the nodes of that column), stacked.
  const columns: Array<Array<{ group: MapGroup; nodes: MapGroup['nodes'] }>> = [[], [], []];
  for (const g of map.groups) {
    for (const c of [0, 1, 2]) {
      const nodes = g.nodes.filter((n) => column(g, n.id) === c);
      if (nodes.length > 0) columns[c].push({ group: g, nodes });
    }
  }
  const groups = new Map<string, Box>();
  const nodes = new Map<string, Box>();
  let x = 8;
  let height = 0;
  const columnRight: number[] = [];
  columns.forEach((col, c) => {
    const width = Math.max(
      0,
      ...col.map(({ group, nodes: ns }) =>
        Math.max(
          group.label.length * FONT.group.charWidth + 2 * PAD,
          ...ns.map((n) => nodeSize(n).width + 2 * PAD),
        ),
      ),
    );
    let y = 8;
    for (const { group, nodes: ns } of col) {
      const top = y;
      y += GROUP_LABEL_HEIGHT + 6;
      for (const n of ns) {
        const s = nodeSize(n);
        nodes.set(n.id, { x: x + PAD, y, width: s.width, height: s.height });
        y += s.height + NODE_GAP;
      }
      y += PAD - NODE_GAP;
      // A group split over two columns keeps one box per column; the later one gets a suffix.
      const id = groups.has(group.id) ? `${group.id}#${c}` : group.id;
      groups.set(id, { x, y: top, width, height: y - top });
      y += GROUP_GAP;
    }
    height = Math.max(height, y);
    columnRight.push(x + width);
    x += width + (col.length > 0 ? COLUMN_GAP : 0);
  });

  const edges = new Map<string, { points: Point[]; label?: Box }>();
  const loops = new Map<number, number>();
  for (const e of map.edges) {
    const a = nodes.get(e.from);
    const b = nodes.get(e.to);
    if (!a || !b) continue;
    const text = mapEdgeLabel(e);
    const labelWidth = Math.ceil(text.length * FONT.edge.charWidth) + 6;
    const ay = a.y + a.height / 2;
    const by = b.y + b.height / 2;
    let points: Point[];
    let mid: Point;
    if (Math.abs(a.x - b.x) < 1) {
      // Same column: out of the right side, down or up, back in.
      const c = a.x < columnRight[0] ? 0 : a.x < columnRight[1] ? 1 : 2;
      const k = (loops.get(c) ?? 0) + 1;
      loops.set(c, k);
      const out = columnRight[c] + 10 + (k % 12) * 6;
      points = [
        { x: a.x + a.width, y: ay },
        { x: out, y: ay },
        { x: out, y: by },
        { x: b.x + b.width, y: by },
      ];
      mid = { x: out + 4, y: (ay + by) / 2 };
    } else if (a.x < b.x) {
      points = [
        { x: a.x + a.width, y: ay },
        { x: b.x, y: by },
      ];
      mid = { x: (a.x + a.width + b.x) / 2 - labelWidth / 2, y: (ay + by) / 2 - 13 };
    } else {
      // Right to left: a little lower, so a pair's two directions do not share one line.
      points = [
        { x: a.x, y: ay + 8 },
        { x: b.x + b.width, y: by + 8 },
      ];
      mid = { x: (a.x + b.x + b.width) / 2 - labelWidth / 2, y: (ay + by) / 2 + 10 };
    }
    const r = (v: number) => Math.round(v * 10) / 10;
    edges.set(e.id, {
      points: points.map((p) => ({ x: r(p.x), y: r(p.y) })),
      label: { x: r(mid.x), y: r(mid.y), width: labelWidth, height: 13 },
    });
  }
  const loopRoom = Math.max(0, ...[...loops.values()].map((k) => 10 + Math.min(k, 12) * 6 + 60));
  return {
    width: Math.ceil(Math.max(...columnRight, 0) + loopRoom + 8),
    height: Math.ceil(height),
    groups,
    nodes,
    edges,
  };
}
