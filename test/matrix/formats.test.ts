/** Every output format on the homelab fixture: snapshots for the text formats, structure for the map. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { loadManifests } from '../../lib/manifest/load';
import { computeMatrix } from '../../lib/matrix/compute';
import { mapEdges } from '../../lib/matrix/edges';
import { options, render, HOMELAB } from './helpers';
import { runMatrix } from '../../lib/cli/matrix-command';

test.each(['text', 'markdown', 'json', 'dot'] as const)('%s output matches the snapshot', async (format) => {
  expect(await render({ format })).toMatchSnapshot();
});

test('json has the documented shape', async () => {
  const j = JSON.parse(await render({ format: 'json' }));
  expect(Object.keys(j)).toEqual(['version', 'nodes', 'identities', 'edges', 'summary']);
  expect(j.version).toBe(2);
  expect(Object.keys(j.nodes[0])).toEqual([
    'id',
    'kind',
    'namespace',
    'name',
    'labels',
    'workloadKind',
    'ports',
    'enforced',
    'default',
  ]);
  expect(j.edges.find((e: any) => e.from === 'traefik/traefik' && e.to === 'blog/blog')).toEqual({
    from: 'traefik/traefik',
    to: 'blog/blog',
    port: 80,
    protocol: 'TCP',
    verdict: 'FORWARDED',
    egress: 'NOT_ENFORCED',
    ingress: 'ALLOWED',
    policyInvolved: true,
    rules: ['CiliumNetworkPolicy blog/blog-policy spec.ingress[0]'],
  });
  // Listed: the flows where an end does not decide as its default; --all-edges lists every flow.
  expect(j.summary.edges).toBe('exceptions');
  const all = JSON.parse(await render({ format: 'json', allEdges: true }));
  expect(all.summary.edges).toBe('all');
  expect(all.summary.flows).toEqual(j.summary.flows);
  expect(all.summary.flows.total).toBe(all.edges.length);
  expect(j.edges.length).toBeLessThan(all.edges.length);
  expect(j.nodes.find((n: any) => n.id === 'blog/blog').default).toEqual({
    egress: { decision: 'NOT_ENFORCED', audited: false, rules: [] },
    ingress: {
      decision: 'DEFAULT_DENY',
      audited: false,
      rules: [
        'CiliumClusterwideNetworkPolicy cluster-default-deny spec.ingress',
        'CiliumNetworkPolicy blog/blog-policy spec.ingress',
      ],
    },
  });
  expect(j.summary.policies).toEqual({
    total: 5,
    byKind: { CiliumClusterwideNetworkPolicy: 1, CiliumNetworkPolicy: 4 },
  });
  expect(j.nodes.find((n: any) => n.id === 'entity:world')).toMatchObject({
    kind: 'entity',
    namespace: null,
    name: 'world',
    labels: ['reserved:world'],
  });
});

test('the text table has a row per pair with allowed, denied and undecided ports and the reasons below', async () => {
  const text = await render();
  expect(text).toMatch(/^argocd\/argocd-server +kube-system\/coredns +53\/TCP 53\/UDP +9153\/TCP\s*$/m);
  expect(text).toMatch(/^argocd\/argocd-server +entity:world +443\/TCP \[1\]$/m);
  expect(text).toMatch(
    /^ {2}\[1\] allow spec\.egress\[1\] of argocd\/argocd-egress: the world destination has no DNS names/m,
  );
  expect(text).toContain('FQDN examples: api.github.com for **.github.com');
});

describe('service map', () => {
  let svg: string;
  let html: string;
  beforeAll(async () => {
    svg = await render({ format: 'svg' });
    html = await render({ format: 'html' });
  });

  test('svg: a group per namespace plus the cluster entities and the outside, every node, every edge', () => {
    const groups = [...svg.matchAll(/<g class="group group-(\w+)" data-group="([^"]+)"/g)].map((x) => x[2]);
    expect(groups).toEqual([
      'ns:argocd',
      'ns:blog',
      'ns:default',
      'ns:kube-system',
      'ns:traefik',
      'ns:webapp',
      'cluster',
      'outside',
    ]);
    const m = computeMatrix({ policies: loadManifests(HOMELAB) });
    for (const n of m.nodes) expect(svg).toContain(`data-id="${n.id}"`);
    const edges = mapEdges(m, false);
    const drawn = [...svg.matchAll(/<g class="edge edge-\w+" data-edge="([^"]+)"/g)].map((x) =>
      x[1].replace(/&gt;/g, '>'),
    );
    expect([...drawn].sort()).toEqual(edges.map((e) => e.id).sort());
    expect(drawn.length).toBeGreaterThan(15);
  });

  test('svg: colours and dashes per class; a legend saying which edges are drawn', () => {
    const edge = (id: string) =>
      new RegExp(
        `data-edge="${id.replace(/>/g, '&gt;').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"[^>]*><title>[^<]*</title><path [^>]*`,
      ).exec(svg)?.[0] ?? '';
    expect(edge('traefik/traefik->blog/blog:allowed')).toMatch(/stroke="#2e7d32"/);
    expect(edge('traefik/traefik->blog/blog:allowed')).not.toMatch(/stroke-dasharray/);
    expect(edge('webapp/webapp->kube-system/coredns:denied')).toMatch(
      /stroke="#c62828" stroke-width="[\d.]+" stroke-dasharray="6 4"/,
    );
    expect(edge('argocd/argocd-server->entity:world:undecided')).toMatch(/stroke="#757575"/);
    expect(svg).toContain('Denied edges only between pairs a policy names');
    expect(svg).toMatch(
      /<text class="map-title"[^>]*>Service map: 5 policies \(1 CiliumClusterwideNetworkPolicy, 4 CiliumNetworkPolicy\)<\/text>/,
    );
    expect(svg).toContain('ingress blocked');
  });

  test('svg: every node box lies inside its group box', () => {
    const boxes = new Map<string, number[]>();
    for (const x of svg.matchAll(
      /data-(?:group|id)="([^"]+)">(?:<title>[^<]*<\/title>)?<rect x="([\d.]+)" y="([\d.]+)" width="([\d.]+)" height="([\d.]+)"/g,
    )) {
      boxes.set(x[1], [Number(x[2]), Number(x[3]), Number(x[4]), Number(x[5])]);
    }
    const within = (inner: number[], outer: number[]) =>
      inner[0] >= outer[0] &&
      inner[1] >= outer[1] &&
      inner[0] + inner[2] <= outer[0] + outer[2] &&
      inner[1] + inner[3] <= outer[1] + outer[3];
    expect(within(boxes.get('webapp/postgres')!, boxes.get('ns:webapp')!)).toBe(true);
    expect(within(boxes.get('entity:host')!, boxes.get('cluster')!)).toBe(true);
    expect(within(boxes.get('fqdn:github.com')!, boxes.get('outside')!)).toBe(true);
    expect(within(boxes.get('blog/blog')!, boxes.get('ns:webapp')!)).toBe(false);
  });

  test('--all-edges draws the flows no policy names too', async () => {
    // DOT shares the edge selection with SVG and HTML and needs no layout (ELK takes seconds for 130 edges).
    const all = await render({ format: 'dot', allEdges: true });
    const some = await render({ format: 'dot' });
    expect(all).toContain('"default/debug" -> "blog/blog" [color="#c62828"');
    expect(all).toContain('"blog/blog" -> "fqdn:github.com" [color="#81c784"');
    expect(some).not.toContain('"default/debug" -> "blog/blog"');
    expect(all).toContain('All edges (--all-edges)');
  });

  test('html: self-contained page with the map, toggles, the table and no external references', () => {
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).toContain('<svg xmlns="http://www.w3.org/2000/svg" class="service-map"');
    expect(html).toContain('data-edge-class="denied"');
    expect(html).toMatch(
      /<td class="from"><code>default\/debug<\/code><\/td><td class="to"><code>blog\/blog<\/code><\/td><td class="allowed"><\/td><td class="denied">80\/TCP<\/td>/,
    );
    expect(html).not.toMatch(/\b(src|href)=["']?(https?:)?\/\//);
    expect(html).not.toMatch(/@import|url\((?!#)/);
  });
});

test('--output writes the file instead of stdout', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'matrix-'));
  const file = path.join(dir, 'out', 'matrix.md');
  const printed: string[] = [];
  await expect(
    runMatrix(options({ format: 'markdown', output: file }), (t) => printed.push(t)),
  ).resolves.toBe(0);
  expect(printed).toEqual([]);
  expect(fs.readFileSync(file, 'utf8')).toBe(await render({ format: 'markdown' }));
  fs.rmSync(dir, { recursive: true, force: true });
});
