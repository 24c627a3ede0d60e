import { shortPortList } from './edges';
import { MapNode } from './service-map';

/** Sizes and shapes a laid-out service map is made of, shared by the layouts and the SVG. */

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
