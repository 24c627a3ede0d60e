import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { renderDiff } from '../../lib/cli/diff-command';
import { diffConnectivity } from '../../lib/diff/compute';
import { mdCode, mdText } from '../../lib/diff/markdown';
import { DiffInput } from '../../lib/diff/model';
import { renderDiffJson } from '../../lib/diff/render-json';
import { renderDiffMarkdown } from '../../lib/diff/render-markdown';
import { renderDiffText } from '../../lib/diff/render-text';
import { KubeManifest, SourcedManifest } from '../../lib/manifest/types';
import {
  ccnp,
  cnp,
  deployment,
  from,
  multiDoc,
  POSTGRES_POLICY,
  sourced,
  tcp,
  WEBAPP_EGRESS,
  WORKLOADS,
} from './helpers';

/** Cells of a GFM table row, split on the pipes that are not escaped. */
function cellsOf(row: string): string[] {
  return row.replace(/^\| | \|$/g, '').split(/(?<!\\)\|/);
}

function renderAll(input: DiffInput): string {
  const d = diffConnectivity(input, { engine: {}, includeRuleChanges: true });
  return [renderDiffText(d), renderDiffMarkdown(d), renderDiffJson(d)].join('\n=====\n');
}

/** A change with a bit of everything: a new CCNP, a moved port, a DNS pattern, a removed policy. */
const BASE: KubeManifest[] = [
  ...WORKLOADS,
  POSTGRES_POLICY,
  WEBAPP_EGRESS,
  cnp('blog', 'blog', {
    endpointSelector: { matchLabels: { app: 'blog' } },
    ingress: [{ fromEntities: ['world'], toPorts: tcp(80) }],
  }),
];
const HEAD: KubeManifest[] = [
  ...WORKLOADS,
  deployment('webapp', 'cache', [6379]),
  cnp('webapp', 'postgres', {
    ...POSTGRES_POLICY.spec,
    ingress: [{ fromEndpoints: [from('webapp', { app: 'webapp' })], toPorts: tcp(5433) }],
  }),
  cnp('webapp', 'webapp-egress', {
    ...WEBAPP_EGRESS.spec,
    egress: [
      ...WEBAPP_EGRESS.spec.egress,
      { toFQDNs: [{ matchPattern: '*.stripe.com' }], toPorts: tcp(443) },
    ],
  }),
  ccnp('default-deny', { endpointSelector: {}, ingress: [{ fromEntities: ['health'] }] }),
];

describe('markdown escaping', () => {
  test('mdText: markdown, HTML, mentions and pipes come out literally on one line', () => {
    expect(mdText('a|b `c` *d* _e_ [f](g) <img src=x onerror=alert(1)> & @team ~h~ $x$ \\ line\nbreak')).toBe(
      'a\\|b \\`c\\` \\*d\\* \\_e\\_ \\[f\\](g) &lt;img src=x onerror=alert(1)&gt; &amp; \\@team \\~h\\~ \\$x\\$ \\\\ line break',
    );
  });

  test('mdCode: backticks in the text get a longer fence, pipes are escaped for tables', () => {
    expect(mdCode('blog/blog')).toBe('`blog/blog`');
    expect(mdCode('a`b|c')).toBe('`` a`b\\|c ``');
    expect(mdCode('``x')).toBe('``` ``x ```');
  });

  test('a hostile file name and field name cannot break the comment', () => {
    const evil = 'evil|`<script>alert(1)</script>`*|.yaml';
    const head: SourcedManifest[] = [
      ...sourced('head/w.yaml', WORKLOADS),
      {
        manifest: cnp('webapp', 'postgres', { ...POSTGRES_POLICY.spec, 'x|y<b>`z': true }),
        file: evil,
        line: 3,
      },
    ];
    const d = diffConnectivity(
      { base: sourced('base/w.yaml', [...WORKLOADS, POSTGRES_POLICY]), head },
      { engine: {} },
    );
    const md = renderDiffMarkdown(d);
    expect(md).not.toMatch(/<script/);
    expect(md).toContain('&lt;script&gt;');
    const rows = md.split('\n').filter((l) => l.startsWith('| '));
    const policyRow = rows.find((r) => r.startsWith('| changed '))!;
    expect(cellsOf(policyRow)).toHaveLength(4);
    // In a code span HTML is shown as typed.
    expect(cellsOf(policyRow)[3].trim()).toBe('`` spec.x\\|y<b>`z ``');
    const warnings = md.slice(md.indexOf('<details><summary>Warnings (head, 1)</summary>'));
    expect(warnings).toContain('evil\\|\\`&lt;script&gt;alert(1)&lt;/script&gt;\\`\\*\\|.yaml:3');
    // Every table row has as many cells as its header.
    for (const block of md.split('\n\n').filter((b) => b.startsWith('| '))) {
      const lines = block.split('\n').filter((l) => l.startsWith('|'));
      for (const l of lines) expect(cellsOf(l)).toHaveLength(cellsOf(lines[0]).length);
    }
  });

  test('counts first, then the tables; --max-rows summarises the rest', () => {
    const d = diffConnectivity(
      { base: sourced('b.yaml', BASE), head: sourced('h.yaml', HEAD) },
      { engine: {} },
    );
    const md = renderDiffMarkdown(d, { maxRows: 2 });
    const lines = md.split('\n');
    expect(lines[0]).toBe(
      `### Connectivity diff: ${d.counts.allowed} newly allowed, ${d.counts.denied} newly denied, 1 now undecided`,
    );
    expect(lines.slice(2, 5)).toEqual([
      '| Newly allowed | Newly denied | Now undecided | Policies added | removed | changed |',
      '| --- | --- | --- | --- | --- | --- |',
      '| **4** | **17** | **1** | 1 | 1 | 2 |',
    ]);
    const denied = md.slice(md.indexOf('#### Newly denied'), md.indexOf('#### Now undecided'));
    expect(denied.split('\n').filter((l) => l.startsWith('| `'))).toHaveLength(2);
    expect(denied).toMatch(
      /_… and \d+ more source\/destination pairs: run `cilium-lockdown diff` for the full list\._/,
    );
  });
});

describe('formats', () => {
  /** The reviewed look of each format for a change with a bit of everything. */
  test.each(['text', 'markdown', 'json'] as const)('%s', (format) => {
    const d = diffConnectivity(
      { base: sourced('base/dist/app.k8s.yaml', BASE), head: sourced('dist/app.k8s.yaml', HEAD) },
      { engine: {}, includeRuleChanges: format === 'text' },
    );
    const render = { text: renderDiffText, markdown: renderDiffMarkdown, json: renderDiffJson }[format];
    expect(render(d)).toMatchSnapshot();
  });
});

describe('determinism', () => {
  test('the same bytes whatever the order of the manifests', () => {
    const base = sourced('b.yaml', BASE);
    const head = sourced('h.yaml', HEAD);
    const expected = renderAll({ base, head });
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    const shuffle = <T>(xs: readonly T[]): T[] =>
      xs
        .map((x) => [random(), x] as const)
        .sort((a, b) => a[0] - b[0])
        .map(([, x]) => x);
    for (let i = 0; i < 4; i++)
      expect(renderAll({ base: shuffle(base), head: shuffle(head) })).toBe(expected);
    expect(renderAll({ base, head })).toBe(expected);
  });

  test('the same bytes whatever the order of the files on the command line', () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'diff-order-'));
    try {
      const files = (side: string, manifests: KubeManifest[]) =>
        manifests.map((m, i) => {
          const file = path.join(tmp, side, `${i}.yaml`);
          fs.mkdirSync(path.dirname(file), { recursive: true });
          fs.writeFileSync(file, multiDoc([m]));
          return file;
        });
      const base = files('base', BASE);
      const head = files('head', HEAD);
      for (const format of ['text', 'markdown', 'json'] as const) {
        const run = (b: string[], h: string[]) =>
          renderDiff({
            base: b,
            head: h,
            format,
            all: true,
            enforcement: 'default',
            allowLocalhost: 'always',
            clusterName: 'default',
          }).text;
        const expected = run(base, head);
        expect(run([...base].reverse(), [...head].reverse())).toBe(expected);
        expect(run([path.join(tmp, 'base')], [path.join(tmp, 'head')])).toBe(expected);
      }
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });
});
