import { EDGE_CLASSES, mapEdges } from './edges';
import { layoutServiceMap } from './layout';
import { layoutColumns } from './layout-columns';
import { ConnectivityMatrix } from './model';
import { drawServiceMap, xml } from './render-svg';
import { matrixTable } from './render-table';
import {
  buildServiceMap,
  EDGE_STYLES,
  identityFlows,
  mapNamespaces,
  ServiceMapOptions,
  workloadMap,
} from './service-map';

/**
 * The `html` format: one self-contained page (inline SVG, CSS and a small script, nothing
 * fetched): the service map with edge-class toggles, hover highlighting and a node filter,
 * and the full matrix as a table below it.
 */

const CSS = `
body{margin:0;font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:#1f2933;background:#f7f9fb}
header{position:sticky;top:0;z-index:1;background:#ffffffee;border-bottom:1px solid #d9e2ec;padding:8px 16px;display:flex;flex-wrap:wrap;gap:6px 18px;align-items:center}
header h1{font-size:15px;margin:0 12px 0 0}
.controls label{font-size:13px;margin-right:12px;cursor:pointer;white-space:nowrap}
.controls .swatch{display:inline-block;width:18px;height:0;border-top-width:3px;vertical-align:middle;margin-right:4px}
.controls input[type=search]{font:inherit;font-size:13px;padding:2px 6px;border:1px solid #bcccdc;border-radius:4px}
main{padding:12px 16px;overflow:auto}
main svg{background:#fff;border:1px solid #d9e2ec;border-radius:6px;max-width:100%;height:auto}
main.actual-size svg{max-width:none}
svg.hide-allowed .edge-allowed,svg.hide-denied .edge-denied,svg.hide-undecided .edge-undecided,svg.hide-audit .edge-audit,svg.hide-open .edge-open{display:none}
svg.focus .edge,svg.focus .edge-label,svg.focus .node{opacity:.15}
svg.focus .edge.hit,svg.focus .edge-label.hit,svg.focus .node.hit{opacity:1}
svg .node{cursor:pointer}
svg .edge path{transition:stroke-width .1s}
svg .edge:hover path{stroke-width:3.5}
section{padding:0 16px 24px}
details summary{cursor:pointer;font-weight:600;margin:8px 0}
table{border-collapse:collapse;font-size:12px;background:#fff}
th,td{border:1px solid #d9e2ec;padding:3px 8px;text-align:left;vertical-align:top}
th{background:#f0f4f8}
td.allowed{color:#2e7d32}td.denied{color:#c62828}td.undecided{color:#616e7c}td.audit{color:#ef6c00}
td code{font-size:12px}
`;

// Toggles hide-<class> on the SVG; hovering or clicking a node focuses its edges; the filter
// dims nodes whose id does not contain the text.
const SCRIPT = `
(function () {
  var svg = document.querySelector('main svg');
  var overview = svg;
  var back = document.querySelector('button[data-back]');
  function hidden() {
    var out = [];
    document.querySelectorAll('input[data-edge-class]').forEach(function (box) { if (!box.checked) out.push('hide-' + box.dataset.edgeClass); });
    return out;
  }
  document.querySelectorAll('input[data-edge-class]').forEach(function (box) {
    box.addEventListener('change', function () { svg.classList.toggle('hide-' + box.dataset.edgeClass, !box.checked); });
  });
  // Namespace overview: a click on a namespace shows its workload map (pre-rendered in a template).
  function show(next) {
    svg.replaceWith(next);
    svg = next;
    hidden().forEach(function (c) { svg.classList.add(c); });
    pinned = null;
    bind();
    if (back) back.hidden = svg === overview;
  }
  if (back) back.addEventListener('click', function () { show(overview); });
  document.querySelector('input[data-actual-size]').addEventListener('change', function (ev) {
    document.querySelector('main').classList.toggle('actual-size', ev.target.checked);
  });
  var pinned = null;
  function focus(id) {
    svg.querySelectorAll('.hit').forEach(function (e) { e.classList.remove('hit'); });
    if (!id) { svg.classList.remove('focus'); return; }
    svg.classList.add('focus');
    svg.querySelectorAll('.node').forEach(function (n) { if (n.dataset.id === id) n.classList.add('hit'); });
    svg.querySelectorAll('.edge').forEach(function (e) {
      if (e.dataset.from !== id && e.dataset.to !== id) return;
      e.classList.add('hit');
      svg.querySelectorAll('.node').forEach(function (n) { if (n.dataset.id === e.dataset.from || n.dataset.id === e.dataset.to) n.classList.add('hit'); });
      svg.querySelectorAll('.edge-label').forEach(function (l) { if (l.dataset.edge === e.dataset.edge) l.classList.add('hit'); });
    });
  }
  function bind() {
    svg.querySelectorAll('.node').forEach(function (n) {
      var detail = n.classList.contains('node-namespace') && document.querySelector('template[data-namespace="' + n.dataset.id + '"]');
      if (detail) {
        n.addEventListener('click', function () { show(detail.content.querySelector('svg').cloneNode(true)); });
        return;
      }
      n.addEventListener('mouseenter', function () { if (!pinned) focus(n.dataset.id); });
      n.addEventListener('mouseleave', function () { if (!pinned) focus(null); });
      n.addEventListener('click', function () { pinned = pinned === n.dataset.id ? null : n.dataset.id; focus(pinned); });
    });
  }
  bind();
  var filter = document.querySelector('input[type=search]');
  filter.addEventListener('input', function () {
    var q = filter.value.trim().toLowerCase();
    svg.querySelectorAll('.node').forEach(function (n) { n.style.opacity = !q || n.dataset.id.toLowerCase().indexOf(q) >= 0 ? '' : '0.2'; });
  });
})();
`;

/**
 * The namespace overview's drill-downs: each namespace's workload map, kept in a template the
 * page swaps in on click. There can be hundreds, so they get the column layout (linear time),
 * not ELK's.
 */
function drillDowns(m: ConnectivityMatrix, options: ServiceMapOptions): string {
  const edges = mapEdges(m, !!options.allEdges);
  const flows = identityFlows(m);
  const out: string[] = [];
  for (const ns of mapNamespaces(m)) {
    const map = workloadMap(m, { ...options, namespace: ns }, edges, flows);
    const svg = drawServiceMap(map, layoutColumns(map, ns)).svg;
    out.push(`<template data-namespace="ns:${xml(ns)}">${svg}</template>`);
  }
  return out.join('\n');
}

export async function renderHtml(m: ConnectivityMatrix, options: ServiceMapOptions = {}): Promise<string> {
  const map = buildServiceMap(m, options);
  const layout = await layoutServiceMap(map);
  const svg = drawServiceMap(map, layout).svg;
  const templates = map.level === 'namespace' ? drillDowns(m, options) : '';
  const present = new Set(map.edges.map((e) => e.cls));
  const toggles = EDGE_CLASSES.filter((c) => present.has(c))
    .map((c) => {
      const s = EDGE_STYLES[c];
      return `<label><input type="checkbox" data-edge-class="${c}" checked> <span class="swatch" style="border-top:3px ${s.dash ? 'dashed' : 'solid'} ${s.color}"></span>${xml(s.label)}</label>`;
    })
    .join('');
  // The overview's cluster is too large for a table of every pair: text and json give it.
  const t = map.level === 'namespace' ? undefined : matrixTable(m);
  const classes = t ? t.header.map((h) => h.toLowerCase()) : [];
  const rows = t
    ? t.rows
        .map(
          (r) =>
            `<tr>${r.map((c, i) => `<td class="${classes[i]}">${i < 2 ? `<code>${xml(c)}</code>` : xml(c)}</td>`).join('')}</tr>`,
        )
        .join('\n')
    : '';
  const footnotes =
    !t || t.footnotes.length === 0
      ? ''
      : `<h3>Undecided</h3><ol>${t.footnotes.map((f) => `<li>${xml(f)}</li>`).join('')}</ol>`;
  const warnings =
    m.warnings.length === 0
      ? ''
      : `<h3>Warnings</h3><ul>${m.warnings.map((w) => `<li>${xml(w)}</li>`).join('')}</ul>`;
  const table = t
    ? `<details>
<summary>Connectivity matrix (${t.rows.length} source/destination pairs, ${m.cells.length} flows)</summary>
<table>
<thead><tr>${t.header.map((h) => `<th>${xml(h)}</th>`).join('')}</tr></thead>
<tbody>
${rows}
</tbody>
</table>
${footnotes}
</details>`
    : `<p>${m.cells.length} flows between ${m.nodes.length} nodes: too many for a table here; <code>matrix --format text</code> or <code>--format json</code> lists them.</p>`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<title>${xml(map.title)}</title>
<style>${CSS}</style>
</head>
<body>
<header>
<h1>${xml(map.title)}</h1>
<div class="controls">${toggles}<label><input type="checkbox" data-actual-size> actual size</label><input type="search" placeholder="filter nodes" aria-label="filter nodes">${map.level === 'namespace' ? '<button type="button" data-back hidden>back to namespaces</button>' : ''}</div>
</header>
<main>
${svg}
</main>
${templates}
<section>
${table}
${warnings}
</section>
<script>${SCRIPT}</script>
</body>
</html>
`;
}
