import * as fs from 'fs';
import * as path from 'path';
import { Page } from 'playwright-core';
import { computeMatrix } from '../../lib/matrix/compute';
import { renderHtml } from '../../lib/matrix/render-html';
import { chainCluster } from '../matrix/chain-cluster';
import { ARTIFACTS, openHtml, OpenedPage } from './open-page';

/**
 * Large clusters' maps in headless Chromium: 300 workloads in 60 namespaces (the overview laid
 * out by ELK) and 2,000 in 400 (the overview's column layout, a grid of namespaces). Each starts
 * at namespace level, a click on a namespace shows that namespace's workloads, "back" returns,
 * the edge toggles apply to the drill-down too; nothing is fetched, nothing logged as an error.
 * Leaves test-artifacts/large-service-map-<N>.html, .png and -ns7.png (a drill-down) behind.
 */

jest.setTimeout(120_000);

// Callbacks of page.evaluate run in the page; the project compiles without the DOM lib.
declare const document: any;
declare function getComputedStyle(e: unknown): { display: string };

describe.each([
  [300, 60],
  [2000, 400],
])('%i workloads in %i namespaces', (WORKLOADS, NAMESPACES) => {
  let opened: OpenedPage;
  let page: Page;

  beforeAll(async () => {
    const m = computeMatrix({
      policies: chainCluster(WORKLOADS, NAMESPACES).map((manifest, i) => ({
        manifest,
        file: 'large.yaml',
        line: i + 1,
      })),
    });
    opened = await openHtml(`large-service-map-${WORKLOADS}.html`, await renderHtml(m));
    page = opened.page;
  });

  afterAll(async () => {
    await opened?.close();
  });

  /** Rendered (no display:none up the tree) with some extent, even when flat. */
  const drawn = (selector: string) =>
    page.locator(selector).evaluate((e: any) => {
      const box = e.getBBox();
      return getComputedStyle(e.closest('.edge')).display !== 'none' && box.width + box.height > 0;
    });

  /** Pairs of edge labels (and labels over nodes) whose rendered boxes overlap, in the map shown. */
  const overlappingLabels = () =>
    page.evaluate(() => {
      const svg = document.querySelector('main svg');
      const boxes = (selector: string) =>
        Array.from(svg.querySelectorAll(selector)).map((e: any) => ({
          id: e.dataset.edge ?? e.closest('.node').dataset.id,
          box: e.getBBox(),
        }));
      const labels = boxes('.edge-label');
      const nodes = boxes('.node rect');
      const hit = (a: any, b: any) =>
        a.x < b.x + b.width - 0.5 &&
        b.x < a.x + a.width - 0.5 &&
        a.y < b.y + b.height - 0.5 &&
        b.y < a.y + a.height - 0.5;
      const out: string[] = [];
      labels.forEach((l, i) => {
        for (const m of labels.slice(i + 1)) if (hit(l.box, m.box)) out.push(`${l.id} / ${m.id}`);
        for (const n of nodes) if (hit(l.box, n.box)) out.push(`${l.id} / node ${n.id}`);
      });
      return { labels: labels.length, overlaps: out };
    });

  const shownIds = () =>
    page.locator('main svg .node').evaluateAll((els) => els.map((e) => e.getAttribute('data-id')));

  test('the map starts at namespace level, with flow counts on the edges', async () => {
    const ids = await shownIds();
    expect(ids.filter((id) => id!.startsWith('ns:'))).toHaveLength(NAMESPACES);
    expect(ids.some((id) => /^ns\d+\/app/.test(id!))).toBe(false);
    await expect(page.locator('main svg .node[data-id="ns:ns7"] rect').isVisible()).resolves.toBe(true);
    // app7 (ns7) admits app6 (ns6): an allowed edge ns6 -> ns7, labelled with its flow count.
    await expect(
      page.locator('main svg .edge-label[data-edge="ns:ns6->ns:ns7:allowed"]').textContent(),
    ).resolves.toMatch(/^\d+ flows?$/);
    await expect(
      page.locator('main svg .edge-label[data-edge="ns:ns6->ns:ns7:allowed"]').isVisible(),
    ).resolves.toBe(true);
    await expect(page.locator('button[data-back]').isVisible()).resolves.toBe(false);
    if (WORKLOADS === 2000) {
      // The overview of 400 namespaces has the column layout: its labels, rendered, overlap nothing.
      const overview = await overlappingLabels();
      expect(overview.labels).toBeGreaterThanOrEqual(400);
      expect(overview.overlaps).toEqual([]);
    }
    const file = path.join(ARTIFACTS, `large-service-map-${WORKLOADS}.png`);
    await page.screenshot({ path: file });
    expect(fs.statSync(file).size).toBeGreaterThan(10_000);
  });

  test('a click on a namespace drills into its workloads; back returns to the overview', async () => {
    await page.locator('main svg .node[data-id="ns:ns7"]').click();
    const ids = await shownIds();
    const members = Array.from({ length: WORKLOADS / NAMESPACES }, (_, k) => `ns7/app${7 + k * NAMESPACES}`);
    expect(ids.filter((id) => id!.startsWith('ns7/')).sort()).toEqual(members.sort());
    expect(ids.some((id) => id!.startsWith('ns:'))).toBe(false);
    await expect(
      // A horizontal line has an empty box, which Playwright calls invisible: ask for its layout box.
      drawn('main svg .edge[data-edge="ns6/app6->ns7/app7:allowed"] path'),
    ).resolves.toBe(true);
    await expect(page.locator('main svg .node[data-id="ns7/app7"] rect').isVisible()).resolves.toBe(true);
    await page.screenshot({ path: path.join(ARTIFACTS, `large-service-map-${WORKLOADS}-ns7.png`) });
    // The drill-down's edge labels, as the browser renders them, overlap neither each other nor a node.
    const drilled = await overlappingLabels();
    expect(drilled.labels).toBeGreaterThan(3);
    expect(drilled.overlaps).toEqual([]);
    // The toggles act on the drill-down; hovering focuses as on a small map.
    await page.locator('input[data-edge-class="allowed"]').uncheck();
    await expect(
      page.locator('main svg .edge[data-edge="ns6/app6->ns7/app7:allowed"]').isVisible(),
    ).resolves.toBe(false);
    await page.locator('input[data-edge-class="allowed"]').check();
    await page.locator('main svg .node[data-id="ns7/app7"] rect').hover();
    await expect(
      page.evaluate(() => document.querySelector('main svg').classList.contains('focus')),
    ).resolves.toBe(true);
    await page.mouse.move(1, 1);
    await expect(page.locator('button[data-back]').isVisible()).resolves.toBe(true);
    await page.locator('button[data-back]').click();
    expect((await shownIds()).filter((id) => id!.startsWith('ns:'))).toHaveLength(NAMESPACES);
    await expect(page.locator('button[data-back]').isVisible()).resolves.toBe(false);
    // A second drill-down works after returning.
    await page.locator('main svg .node[data-id="ns:ns0"]').click();
    expect((await shownIds()).filter((id) => id!.startsWith('ns0/'))).toHaveLength(WORKLOADS / NAMESPACES);
  });

  test('nothing is fetched and nothing is logged as an error', async () => {
    expect(opened.requests).toEqual([opened.url]);
    expect(opened.consoleErrors).toEqual([]);
  });
});
