/** Identities (workloads evaluated once per identity), the namespace overview and --namespace. */
import { MatrixCommandOptions, renderMatrix, runMatrix } from '../../lib/cli/matrix-command';
import { UsageError } from '../../lib/cli/common';
import { KubeManifest, SourcedManifest } from '../../lib/manifest/types';
import { computeMatrix } from '../../lib/matrix/compute';
import { matrixJson, renderJson, renderJsonChunks } from '../../lib/matrix/render-json';
import { buildServiceMap } from '../../lib/matrix/service-map';
import { renderHtml } from '../../lib/matrix/render-html';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { stringify } from 'yaml';

jest.setTimeout(120_000);

function deployment(name: string, ns: string, labels: Record<string, string>, port: number): KubeManifest {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: ns },
    spec: {
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: { containers: [{ name: 'c', ports: [{ containerPort: port }] }] },
      },
    },
  };
}

function cnp(name: string, ns: string, app: string, from: string, port: number): KubeManifest {
  return {
    apiVersion: 'cilium.io/v2',
    kind: 'CiliumNetworkPolicy',
    metadata: { name, namespace: ns },
    spec: {
      endpointSelector: { matchLabels: { app } },
      ingress: [
        {
          fromEndpoints: [{ matchLabels: { app: from } }],
          toPorts: [{ ports: [{ port: String(port), protocol: 'TCP' }] }],
        },
      ],
    },
  };
}

const sourced = (ms: KubeManifest[]): SourcedManifest[] =>
  ms.map((manifest, i) => ({ manifest, file: 'm.yaml', line: i + 1 }));

describe('identities', () => {
  // web-a and web-b share every identity label: one identity; api is its own.
  const manifests = sourced([
    deployment('web-a', 'shop', { app: 'web' }, 8080),
    deployment('web-b', 'shop', { app: 'web' }, 8081),
    deployment('api', 'shop', { app: 'api' }, 9000),
    cnp('api', 'shop', 'api', 'web', 9000),
  ]);

  test('workloads with the same identity labels are evaluated once and stand for each other', () => {
    const m = computeMatrix({ policies: manifests });
    expect(m.identities.map((i) => [i.id, i.members.map((n) => n.id)]).slice(0, 2)).toEqual([
      ['shop/api', ['shop/api']],
      ['shop/web-a+1', ['shop/web-a', 'shop/web-b']],
    ]);
    // Evaluated once per identity pair, expanded to every member pair.
    const evaluated = m.identityCells.filter((c) => c.from === 'shop/web-a+1' && c.to === 'shop/api');
    expect(evaluated.map((c) => [c.port.text, c.verdict])).toEqual([['9000/TCP', 'FORWARDED']]);
    for (const from of ['shop/web-a', 'shop/web-b']) {
      expect(
        m.cells
          .filter((c) => c.from === from && c.to === 'shop/api')
          .map((c) => [c.port.text, c.verdict, c.rules]),
      ).toEqual([['9000/TCP', 'FORWARDED', ['CiliumNetworkPolicy shop/api spec.ingress[0]']]]);
    }
    // The identity's ports are every member's container ports.
    expect(m.portsByDestination.get('shop/web-b')!.map((p) => p.text)).toEqual(['8080/TCP', '8081/TCP']);
    expect(m.cells.length).toBeGreaterThan(m.identityCells.length);
  });

  test('json lists the grouping and edges between identities', () => {
    const j = matrixJson(computeMatrix({ policies: manifests })) as any;
    expect(j.identities).toEqual([
      {
        id: 'shop/web-a+1',
        labels: expect.arrayContaining(['k8s:app=web']),
        workloads: ['shop/web-a', 'shop/web-b'],
        ports: ['8080/TCP', '8081/TCP'],
      },
    ]);
    expect(j.nodes.find((n: any) => n.id === 'shop/web-b').identity).toBe('shop/web-a+1');
    expect(j.nodes.find((n: any) => n.id === 'shop/api').identity).toBeUndefined();
    expect(j.edges.some((e: any) => e.from === 'shop/web-a')).toBe(false);
    expect(j.edges.filter((e: any) => e.from === 'shop/web-a+1' && e.to === 'shop/api')).toHaveLength(1);
  });

  test('different named ports keep workloads apart', () => {
    const named = (name: string, port: number): KubeManifest => {
      const d = deployment(name, 'shop', { app: 'web' }, port) as any;
      d.spec.template.spec.containers[0].ports[0].name = 'http';
      return d;
    };
    const m = computeMatrix({ policies: sourced([named('web-a', 8080), named('web-b', 8081)]) });
    expect(m.identities.filter((i) => i.members.some((n) => n.kind === 'workload')).map((i) => i.id)).toEqual(
      ['shop/web-a', 'shop/web-b'],
    );
  });
});

describe('a map for large clusters', () => {
  // 80 workloads in 16 namespaces: above the 60-workload limit of a node-per-workload map.
  const many: KubeManifest[] = [];
  for (let i = 0; i < 80; i++) {
    const ns = `ns${i % 16}`;
    many.push(deployment(`app${i}`, ns, { app: `app${i}` }, 8000 + (i % 3)));
    many.push(cnp(`app${i}`, ns, `app${i}`, `app${i >= 16 ? i - 16 : i}`, 8000 + (i % 3)));
  }
  const m = computeMatrix({ policies: sourced(many) });

  test('starts at namespace level with flow counts per class', () => {
    const map = buildServiceMap(m);
    expect(map.level).toBe('namespace');
    const namespaces = map.groups.find((g) => g.id === 'namespaces')!;
    expect(namespaces.nodes).toHaveLength(16);
    expect(namespaces.nodes[0]).toMatchObject({
      id: 'ns:ns0',
      kind: 'namespace',
      subtitle: 'namespace, 5 workloads',
    });
    // each app of ns0 admits the previous one (app0 itself): 5 allowed flows inside, a badge, not a loop.
    expect(namespaces.nodes[0].badges.map((b) => b.text)).toContain('5 allowed inside');
    expect(map.edges.every((e) => e.from !== e.to)).toBe(true);
    expect(map.edges.every((e) => /^\d+ flows?$/.test(e.label!))).toBe(true);
    expect(buildServiceMap(m, { workloadLimit: 100 }).level).toBe('workload');
  });

  test('--namespace focuses on one namespace and its peers', () => {
    const map = buildServiceMap(m, { namespace: 'ns3', allEdges: true });
    expect(map.level).toBe('workload');
    expect(map.title).toContain('of namespace ns3');
    const workloads = map.groups
      .flatMap((g) => g.nodes)
      .filter((n) => n.kind === 'workload')
      .map((n) => n.id);
    expect(workloads.filter((id) => id.startsWith('ns3/'))).toEqual([
      'ns3/app19',
      'ns3/app3',
      'ns3/app35',
      'ns3/app51',
      'ns3/app67',
    ]);
    expect(map.edges.every((e) => e.from.startsWith('ns3/') || e.to.startsWith('ns3/'))).toBe(true);
  });

  test('the html page carries a drill-down per namespace', async () => {
    const html = await renderHtml(m);
    expect(html.match(/<template data-namespace="ns:/g)).toHaveLength(16);
    expect(html).toContain('data-back hidden');
    expect(await renderHtml(m)).toBe(html);
  });

  test('json is written in pieces, the same bytes as one document', () => {
    const chunks = [...renderJsonChunks(m)];
    expect(chunks.length).toBeGreaterThan(2);
    expect(chunks.join('')).toBe(`${JSON.stringify(matrixJson(m), null, 2)}\n`);
    expect(renderJson(m)).toBe(chunks.join(''));
  });

  test('json and the overview page are the same for any input order', async () => {
    const shuffled = [...many].reverse();
    for (let i = 0; i < shuffled.length; i += 3)
      [shuffled[i], shuffled[(i * 7) % shuffled.length]] = [shuffled[(i * 7) % shuffled.length], shuffled[i]];
    const other = computeMatrix({ policies: sourced(shuffled) });
    expect(JSON.stringify(matrixJson(other))).toBe(JSON.stringify(matrixJson(m)));
    expect(await renderHtml(other)).toBe(await renderHtml(m));
  });

  test('--namespace names a namespace with workloads, and only for the map formats', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'matrix-ns-'));
    const file = path.join(dir, 'all.yaml');
    fs.writeFileSync(
      file,
      many
        .slice(0, 6)
        .map((x) => stringify(x))
        .join('---\n'),
    );
    const base: Omit<MatrixCommandOptions, 'format'> = {
      policies: [file],
      enforcement: 'default',
      allowLocalhost: 'always',
      clusterName: 'default',
    };
    await expect(renderMatrix({ ...base, format: 'svg', namespace: 'nope' })).rejects.toThrow(UsageError);
    await expect(renderMatrix({ ...base, format: 'svg', namespace: 'nope' })).rejects.toThrow(
      /--namespace nope: .* namespaces with workloads: ns0, ns1, ns2/,
    );
    await expect(renderMatrix({ ...base, format: 'json', namespace: 'ns0' })).rejects.toThrow(
      /applies to the service map/,
    );
    expect(await renderMatrix({ ...base, format: 'dot', namespace: 'ns0' })).toContain('"ns0/app0"');
    // --output gets the json piece by piece, the same bytes.
    const out = path.join(dir, 'out', 'm.json');
    await expect(runMatrix({ ...base, format: 'json', output: out })).resolves.toBe(0);
    expect(fs.readFileSync(out, 'utf8')).toBe(await renderMatrix({ ...base, format: 'json' }));
    expect(fs.readdirSync(path.dirname(out))).toEqual(['m.json']);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
