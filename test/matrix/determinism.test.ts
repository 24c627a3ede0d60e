/** Same bytes across runs and input orderings. */
import * as path from 'path';
import { loadManifests } from '../../lib/manifest/load';
import { computeMatrix } from '../../lib/matrix/compute';
import { renderJson } from '../../lib/matrix/render-json';
import { renderSvg } from '../../lib/matrix/render-svg';
import { renderText } from '../../lib/matrix/render-table';
import { FIXTURES, render } from './helpers';

const files = ['homelab-policies.k8s.yaml', 'homelab-workloads.k8s.yaml', 'homelab-helm-workloads.yaml'].map(
  (f) => path.join(FIXTURES, f),
);

test('every format is byte-identical across runs', async () => {
  for (const format of ['text', 'markdown', 'json', 'dot', 'svg', 'html'] as const) {
    expect(await render({ format })).toBe(await render({ format }));
  }
});

test('file order, manifest order and --policies/--workloads split do not change the output', async () => {
  const base = computeMatrix({ policies: loadManifests(files) });
  const reversed = computeMatrix({ policies: loadManifests([...files].reverse()).reverse() });
  const split = computeMatrix({
    policies: loadManifests([files[0]]),
    workloads: loadManifests([files[2], files[1]]),
  });
  // The same workloads given twice count once.
  const twice = computeMatrix({ policies: loadManifests(files), workloads: loadManifests(files) });
  for (const other of [reversed, split]) {
    expect(renderJson(other)).toBe(renderJson(base));
    expect(renderText(other)).toBe(renderText(base));
  }
  expect(twice.nodes.map((n) => n.id)).toEqual(base.nodes.map((n) => n.id));
  expect(await renderSvg(reversed)).toBe(await renderSvg(base));
});
