import { GROUP_LABEL_HEIGHT, LaidOutMap, Point } from '../../lib/matrix/map-geometry';
import { Box } from '../../lib/matrix/map-geometry';

/**
 * Geometric properties of a laid-out service map, as a list of violations (empty: readable):
 * edge labels pairwise disjoint, disjoint from every node box and every group's caption, inside
 * no group box but their source's; every point and label inside the map; no two edges share a
 * stretch of a vertical or horizontal line (ports' own stubs aside); no edge runs through a node
 * box other than its own ends'.
 */

const EPS = 0.01;

function overlaps(a: Box, b: Box): boolean {
  return (
    a.x < b.x + b.width - EPS &&
    b.x < a.x + a.width - EPS &&
    a.y < b.y + b.height - EPS &&
    b.y < a.y + a.height - EPS
  );
}

function contains(outer: Box, inner: Box): boolean {
  return (
    inner.x >= outer.x - EPS &&
    inner.y >= outer.y - EPS &&
    inner.x + inner.width <= outer.x + outer.width + EPS &&
    inner.y + inner.height <= outer.y + outer.height + EPS
  );
}

export interface LayoutEdge {
  readonly id: string;
  readonly from: string;
  readonly to: string;
}

export function layoutViolations(layout: LaidOutMap, edges: readonly LayoutEdge[], max = 20): string[] {
  const out: string[] = [];
  const labels = edges
    .map((e) => ({ e, box: layout.edges.get(e.id)?.label }))
    .filter((l): l is { e: LayoutEdge; box: Box } => l.box !== undefined)
    .sort((x, y) => x.box.y - y.box.y || x.box.x - y.box.x);
  for (let i = 0; i < labels.length && out.length < max; i++) {
    for (let k = i + 1; k < labels.length && labels[k].box.y < labels[i].box.y + labels[i].box.height; k++)
      if (overlaps(labels[i].box, labels[k].box))
        out.push(`labels of ${labels[i].e.id} and ${labels[k].e.id} overlap`);
  }
  const groups = [...layout.groups];
  for (const { e, box } of labels) {
    for (const [id, n] of layout.nodes)
      if (overlaps(box, n)) out.push(`label of ${e.id} overlaps node ${id}`);
    const source = layout.nodes.get(e.from);
    for (const [id, g] of groups) {
      const caption = { ...g, height: GROUP_LABEL_HEIGHT };
      if (overlaps(box, caption)) out.push(`label of ${e.id} overlaps the caption of group ${id}`);
      else if (overlaps(box, g) && !(source && contains(g, source)))
        out.push(`label of ${e.id} lies in group ${id}, which does not hold its source`);
    }
    if (!contains({ x: 0, y: 0, width: layout.width, height: layout.height }, box))
      out.push(`label of ${e.id} outside the map`);
    if (out.length >= max) return out;
  }
  out.push(...lineViolations(layout, edges, max - out.length));
  return out.slice(0, max);
}

interface Segment {
  readonly edge: string;
  readonly a: Point;
  readonly b: Point;
  readonly stub: boolean;
}

function segments(layout: LaidOutMap, edges: readonly LayoutEdge[]): Segment[] {
  const out: Segment[] = [];
  for (const e of edges) {
    const points = layout.edges.get(e.id)?.points ?? [];
    for (let i = 1; i < points.length; i++)
      out.push({ edge: e.id, a: points[i - 1], b: points[i], stub: i === 1 || i === points.length - 1 });
  }
  return out;
}

function lineViolations(layout: LaidOutMap, edges: readonly LayoutEdge[], max: number): string[] {
  const out: string[] = [];
  const all = segments(layout, edges);
  for (const s of all) {
    for (const p of [s.a, s.b])
      if (p.x < -EPS || p.y < -EPS || p.x > layout.width + EPS || p.y > layout.height + EPS)
        out.push(`edge ${s.edge} has a point outside the map`);
  }
  // Collinear stretches: vertical segments by x, horizontal ones by y (a port's own stub aside).
  for (const vertical of [true, false]) {
    const key = (s: Segment) => (vertical ? s.a.x : s.a.y);
    const lo = (s: Segment) => Math.min(vertical ? s.a.y : s.a.x, vertical ? s.b.y : s.b.x);
    const hi = (s: Segment) => Math.max(vertical ? s.a.y : s.a.x, vertical ? s.b.y : s.b.x);
    const straight = all
      .filter((s) => (vertical ? s.a.x === s.b.x : s.a.y === s.b.y) && !(!vertical && s.stub))
      .sort((x, y) => key(x) - key(y) || lo(x) - lo(y));
    for (let i = 0; i < straight.length && out.length < max; i++) {
      const s = straight[i];
      for (let k = i + 1; k < straight.length && key(straight[k]) === key(s) && lo(straight[k]) < hi(s); k++)
        if (straight[k].edge !== s.edge)
          out.push(
            `edges ${s.edge} and ${straight[k].edge} share a ${vertical ? 'vertical' : 'horizontal'} stretch`,
          );
    }
  }
  return [...out, ...crossings(layout, edges, all, max - out.length)];
}

/** Segments through node boxes other than their own edge's ends. */
function crossings(
  layout: LaidOutMap,
  edges: readonly LayoutEdge[],
  all: readonly Segment[],
  max: number,
): string[] {
  const out: string[] = [];
  const ends = new Map(edges.map((e) => [e.id, [e.from, e.to]]));
  const nodes = [...layout.nodes].sort((x, y) => x[1].x - y[1].x);
  for (const s of all) {
    const minX = Math.min(s.a.x, s.b.x);
    const maxX = Math.max(s.a.x, s.b.x);
    for (const [id, n] of nodes) {
      if (n.x > maxX) break;
      if (n.x + n.width < minX || ends.get(s.edge)!.includes(id)) continue;
      if (segmentHitsBox(s.a, s.b, n)) out.push(`edge ${s.edge} runs through node ${id}`);
      if (out.length >= max) return out;
    }
  }
  return out;
}

/** Liang-Barsky: does the segment pass through the box's interior? */
function segmentHitsBox(a: Point, b: Point, box: Box): boolean {
  const inner = { x: box.x + 0.5, y: box.y + 0.5, width: box.width - 1, height: box.height - 1 };
  let t0 = 0;
  let t1 = 1;
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const checks: Array<[number, number]> = [
    [-dx, a.x - inner.x],
    [dx, inner.x + inner.width - a.x],
    [-dy, a.y - inner.y],
    [dy, inner.y + inner.height - a.y],
  ];
  for (const [p, q] of checks) {
    if (p === 0) {
      if (q < 0) return false;
      continue;
    }
    const t = q / p;
    if (p < 0) t0 = Math.max(t0, t);
    else t1 = Math.min(t1, t);
    if (t0 > t1) return false;
  }
  return true;
}
