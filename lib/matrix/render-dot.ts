import { mapEdgeLabel } from './edges';
import { ConnectivityMatrix } from './model';
import { buildServiceMap, EDGE_STYLES, ServiceMapOptions } from './service-map';

/** The `dot` format: the service map for Graphviz (`dot -Tsvg`), namespaces as clusters. */

function q(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
}

const GROUP_FILL = { namespace: '#eef3fb', cluster: '#f3eefb', outside: '#fbf6ee' };
const NODE_SHAPE = { workload: 'box', namespace: 'box3d', entity: 'hexagon', fqdn: 'note', cidr: 'note' };

export function renderDot(m: ConnectivityMatrix, options: ServiceMapOptions = {}): string {
  const map = buildServiceMap(m, options);
  const out = [
    'digraph service_map {',
    `  graph [rankdir=LR, fontname="Helvetica", fontsize=12, labelloc=t, labeljust=l, compound=true, nodesep=0.3, ranksep=1.1, label=${q(`${map.title}\n${map.subtitle.join('\n')}\n${map.edgeScope}\nEdges: green = allowed, red dashed = denied, grey dotted = undecided${map.legend.some((l) => l.cls === 'audit') ? ', orange = audit' : ''}${map.allEdges ? ', light green = no policy applies' : ''}`)}];`,
    '  node [fontname="Helvetica", fontsize=11, style="rounded,filled", fillcolor="#ffffff", color="#5f6b7a"];',
    '  edge [fontname="Helvetica", fontsize=9, arrowsize=0.7];',
  ];
  map.groups.forEach((g, i) => {
    out.push(`  subgraph cluster_${i} {`);
    out.push(
      `    label=${q(g.label)}; style="rounded,filled"; fillcolor=${q(GROUP_FILL[g.kind])}; color="#9aa5b1";`,
    );
    for (const n of g.nodes) {
      const caption = [
        n.title,
        n.subtitle,
        ...(n.badges.length > 0 ? [n.badges.map((b) => b.text).join(', ')] : []),
      ].join('\n');
      out.push(`    ${q(n.id)} [label=${q(caption)}, shape=${NODE_SHAPE[n.kind]}];`);
    }
    out.push('  }');
  });
  for (const e of map.edges) {
    const s = EDGE_STYLES[e.cls];
    const style = s.dash ? (e.cls === 'denied' ? 'dashed' : 'dotted') : 'solid';
    out.push(
      `  ${q(e.from)} -> ${q(e.to)} [color=${q(s.color)}, fontcolor=${q(s.color)}, style=${style}, penwidth=${s.width}, label=${q(mapEdgeLabel(e))}, tooltip=${q(`${e.from} -> ${e.to}: ${s.label} ${e.ports.map((p) => p.text).join(' ')}`)}];`,
    );
  }
  out.push('}');
  return `${out.join('\n')}\n`;
}
