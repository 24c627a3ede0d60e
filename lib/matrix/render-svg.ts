import { EdgeClass, MapEdge, mapEdgeLabel } from './edges';
import { layoutServiceMap } from './layout';
import { FONT, LaidOutMap, LINE_HEIGHT, NODE_PADDING_X, Point } from './map-geometry';
import { ConnectivityMatrix } from './model';
import { BADGE_COLORS, buildServiceMap, EDGE_STYLES, ServiceMap, ServiceMapOptions } from './service-map';

/** The `svg` format: the ELK-laid-out service map drawn as standalone SVG. */

export function xml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

const GROUP_COLORS = {
  namespace: { fill: '#f1f5fb', stroke: '#8ea3bf', text: '#34495e' },
  cluster: { fill: '#f5f0fb', stroke: '#a391c2', text: '#4a3b66' },
  outside: { fill: '#fbf7ef', stroke: '#c2a77a', text: '#6b5330' },
};
const NODE_COLORS = {
  workload: { fill: '#ffffff', stroke: '#4a6785' },
  namespace: { fill: '#ffffff', stroke: '#34495e' },
  entity: { fill: '#ffffff', stroke: '#7e63a8' },
  fqdn: { fill: '#ffffff', stroke: '#a0773a' },
  cidr: { fill: '#ffffff', stroke: '#a0773a' },
};
const FONT_FAMILY = 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif';
const MARGIN = 16;

function path(points: readonly Point[]): string {
  return points.map((p, i) => `${i === 0 ? 'M' : 'L'}${p.x} ${p.y}`).join(' ');
}

function edgeTitle(e: MapEdge): string {
  const lines = [`${e.from} → ${e.to}: ${EDGE_STYLES[e.cls].label}${e.label ? ` (${e.label})` : ''}`];
  for (const c of e.cells) {
    const why =
      c.reason ?? (c.rules.length > 0 ? c.rules.join('; ') : `egress ${c.egress}, ingress ${c.ingress}`);
    lines.push(`${c.port.text} ${c.verdict}: ${why}`);
  }
  return lines.join('\n');
}

export interface SvgParts {
  readonly width: number;
  readonly height: number;
  /** The `<svg>` element. */
  readonly svg: string;
}

function headerLines(map: ServiceMap): Array<{ text: string; cls: string }> {
  return [
    { text: map.title, cls: 'map-title' },
    ...map.subtitle.map((t) => ({ text: t, cls: 'map-subtitle' })),
  ];
}

function legend(map: ServiceMap, top: number): { svg: string; height: number; width: number } {
  const parts: string[] = [];
  let x = MARGIN;
  const y = top + 14;
  parts.push(`<text class="legend-heading" x="${x}" y="${y + 4}">Legend</text>`);
  x += 62;
  for (const { cls, style } of map.legend) {
    parts.push(
      `<g class="legend-item" data-class="${cls}">` +
        `<line x1="${x}" y1="${y}" x2="${x + 34}" y2="${y}" stroke="${style.color}" stroke-width="${style.width + 0.5}"${style.dash ? ` stroke-dasharray="${style.dash}"` : ''} marker-end="url(#arrow-${cls})"/>` +
        `<text x="${x + 42}" y="${y + 4}">${xml(style.label)}</text></g>`,
    );
    x += 42 + style.label.length * FONT.sub.charWidth + 24;
  }
  const badge =
    'Badges: open = no policy governs the direction, policy = a policy does, blocked = every evaluated flow is dropped (the host aside)';
  parts.push(`<text class="legend-note" x="${MARGIN}" y="${y + 24}">${xml(map.edgeScope)}</text>`);
  parts.push(
    `<text class="legend-note" x="${MARGIN}" y="${y + 40}">${xml(badge)}; hover an edge for ports and rules.</text>`,
  );
  const width = Math.max(
    x,
    MARGIN + Math.max(map.edgeScope.length, badge.length + 32) * FONT.sub.charWidth + MARGIN,
  );
  return { svg: `<g class="legend">${parts.join('')}</g>`, height: 56, width };
}

type Place = (p: Point) => Point;

export function drawServiceMap(map: ServiceMap, layout: LaidOutMap): SvgParts {
  const header = headerLines(map);
  const oy = 14 + header.length * 18 + 8;
  const t: Place = (p) => ({
    x: Math.round((p.x + MARGIN) * 10) / 10,
    y: Math.round((p.y + oy) * 10) / 10,
  });
  const leg = legend(map, oy + layout.height + 8);
  const headerWidth =
    Math.max(...header.map((h, i) => h.text.length * (i === 0 ? 9.2 : FONT.sub.charWidth))) + 2 * MARGIN;
  const width = Math.ceil(Math.max(layout.width + 2 * MARGIN, leg.width, headerWidth));
  const height = Math.ceil(oy + layout.height + 8 + leg.height + 8);
  const edgeClassOrder: EdgeClass[] = ['open', 'undecided', 'denied', 'audit', 'allowed'];
  const edges = [...map.edges].sort((a, b) => edgeClassOrder.indexOf(a.cls) - edgeClassOrder.indexOf(b.cls));
  const out = [
    svgHead(map, width, height),
    ...header.map((h, i) => `<text class="${h.cls}" x="${MARGIN}" y="${24 + i * 18}">${xml(h.text)}</text>`),
    ...drawGroups(map, layout, t),
    ...drawEdges(edges, layout, t),
    ...drawNodes(map, layout, t),
    ...drawEdgeLabels(edges, layout, t),
    leg.svg,
    '</svg>',
  ];
  return { width, height, svg: out.join('\n') };
}

/** The `<svg>` element's opening, its style and arrow markers, and the white background. */
function svgHead(map: ServiceMap, width: number, height: number): string {
  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" class="service-map" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="${xml(FONT_FAMILY)}" role="img" aria-label="${xml(map.title)}">`,
  );
  out.push(
    '<style>' +
      `.map-title{font-size:16px;font-weight:600;fill:#1f2933}.map-subtitle{font-size:${FONT.sub.size}px;fill:#52606d}` +
      `.group-label{font-size:${FONT.group.size}px;font-weight:600}.node-title{font-size:${FONT.title.size}px;font-weight:600;fill:#1f2933}` +
      `.node-sub{font-size:${FONT.sub.size}px;fill:#616e7c}.node-badge{font-size:${FONT.badge.size}px}` +
      `.edge path{fill:none}.edge-label{font-size:${FONT.edge.size}px;font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;paint-order:stroke;stroke:#ffffff;stroke-width:3px;stroke-linejoin:round}` +
      `.legend text{font-size:${FONT.sub.size}px;fill:#3e4c59}.legend-heading{font-weight:600}` +
      '</style>',
  );
  out.push('<defs>');
  for (const [cls, s] of Object.entries(EDGE_STYLES)) {
    out.push(
      `<marker id="arrow-${cls}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0 0 L10 5 L0 10 z" fill="${s.color}"/></marker>`,
    );
  }
  out.push('</defs>');
  out.push(`<rect class="background" x="0" y="0" width="${width}" height="${height}" fill="#ffffff"/>`);
  return out.join('\n');
}

function drawGroups(map: ServiceMap, layout: LaidOutMap, t: Place): string[] {
  // A layout may split a group into several boxes (`id#column`, see column-parts.ts).
  const groupById = new Map(map.groups.map((g) => [g.id, g]));
  return [...layout.groups].map(([boxId, b]) => {
    const g = groupById.get(boxId.replace(/#\d+$/, ''))!;
    const c = GROUP_COLORS[g.kind];
    const p = t(b);
    return (
      `<g class="group group-${g.kind}" data-group="${xml(g.id)}">` +
      `<rect x="${p.x}" y="${p.y}" width="${b.width}" height="${b.height}" rx="10" fill="${c.fill}" stroke="${c.stroke}" stroke-width="1.2"/>` +
      `<text class="group-label" x="${p.x + 12}" y="${p.y + 19}" fill="${c.text}">${xml(g.label)}</text></g>`
    );
  });
}

function drawEdges(edges: readonly MapEdge[], layout: LaidOutMap, t: Place): string[] {
  const out = ['<g class="edges">'];
  for (const e of edges) {
    const l = layout.edges.get(e.id);
    if (!l || l.points.length < 2) continue;
    const s = EDGE_STYLES[e.cls];
    out.push(
      `<g class="edge edge-${e.cls}" data-edge="${xml(e.id)}" data-from="${xml(e.from)}" data-to="${xml(e.to)}" data-class="${e.cls}">` +
        `<title>${xml(edgeTitle(e))}</title>` +
        `<path d="${path(l.points.map(t))}" stroke="${s.color}" stroke-width="${s.width}"${s.dash ? ` stroke-dasharray="${s.dash}"` : ''} marker-end="url(#arrow-${e.cls})"/></g>`,
    );
  }
  out.push('</g>');
  return out;
}

function drawNodes(map: ServiceMap, layout: LaidOutMap, t: Place): string[] {
  const out = ['<g class="nodes">'];
  for (const n of map.groups.flatMap((g) => g.nodes)) {
    const b = layout.nodes.get(n.id)!;
    const p = t(b);
    const c = NODE_COLORS[n.kind];
    const badges = n.badges
      .map((b) => `<tspan class="badge-${b.tone}" fill="${BADGE_COLORS[b.tone]}">${xml(b.text)}</tspan>`)
      .join('<tspan fill="#9aa5b1"> · </tspan>');
    const lines = [
      `<text class="node-title" x="${p.x + NODE_PADDING_X}" y="${p.y + 7 + LINE_HEIGHT - 2}">${xml(n.title)}</text>`,
      `<text class="node-sub" x="${p.x + NODE_PADDING_X}" y="${p.y + 7 + 2 * LINE_HEIGHT - 2}">${xml(n.subtitle)}</text>`,
      ...(n.badges.length > 0
        ? [
            `<text class="node-badge" x="${p.x + NODE_PADDING_X}" y="${p.y + 7 + 3 * LINE_HEIGHT - 3}">${badges}</text>`,
          ]
        : []),
    ];
    out.push(
      `<g class="node node-${n.kind}" data-id="${xml(n.id)}"><title>${xml(n.id)}</title>` +
        `<rect x="${p.x}" y="${p.y}" width="${b.width}" height="${b.height}" rx="${n.kind === 'workload' || n.kind === 'namespace' ? 6 : 14}" fill="${c.fill}" stroke="${c.stroke}" stroke-width="1.5"/>` +
        `${lines.join('')}</g>`,
    );
  }
  out.push('</g>');
  return out;
}

function drawEdgeLabels(edges: readonly MapEdge[], layout: LaidOutMap, t: Place): string[] {
  const out = ['<g class="edge-labels">'];
  for (const e of edges) {
    const l = layout.edges.get(e.id)?.label;
    if (!l) continue;
    const p = t(l);
    out.push(
      `<text class="edge-label edge-${e.cls}" data-edge="${xml(e.id)}" x="${p.x + 3}" y="${p.y + 10}" fill="${EDGE_STYLES[e.cls].color}">${xml(mapEdgeLabel(e))}</text>`,
    );
  }
  out.push('</g>');
  return out;
}

export async function renderSvg(m: ConnectivityMatrix, options: ServiceMapOptions = {}): Promise<string> {
  const map = buildServiceMap(m, options);
  const layout = await layoutServiceMap(map);
  return `<?xml version="1.0" encoding="UTF-8"?>\n${drawServiceMap(map, layout).svg}\n`;
}
