import * as fs from 'fs';
import * as path from 'path';
import { Page } from 'playwright-core';
import { renderMatrix } from '../../lib/cli/matrix-command';
import { ARTIFACTS, openHtml, OpenedPage } from './open-page';

/**
 * Renders the homelab service map (HTML) in headless Chromium from a file:// URL: the groups,
 * nodes and edges are in the DOM, visible and coloured; nothing is fetched; no console errors.
 * Leaves test-artifacts/service-map.html and service-map.png behind for people to look at.
 */

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'matrix');

// Callbacks of page.evaluate run in the page; the project compiles without the DOM lib.
declare const document: any;
declare function getComputedStyle(el: unknown): any;
type Element = any;

const GREEN = 'rgb(46, 125, 50)';
const RED = 'rgb(198, 40, 40)';
const GREY = 'rgb(117, 117, 117)';

let opened: OpenedPage;
let page: Page;

beforeAll(async () => {
  const html = await renderMatrix({
    policies: [FIXTURES],
    format: 'html',
    enforcement: 'default',
    allowLocalhost: 'always',
    clusterName: 'default',
  });
  opened = await openHtml('service-map.html', html);
  page = opened.page;
});

afterAll(async () => {
  await opened?.close();
});

async function stroke(selector: string): Promise<{ color: string; dash: string; display: string }> {
  return page
    .locator(selector)
    .first()
    .evaluate((el: any) => {
      const s = getComputedStyle(el);
      return {
        color: s.stroke,
        dash: s.strokeDasharray,
        display: getComputedStyle(el.parentElement!).display,
      };
    });
}

test('the page renders; a screenshot is saved', async () => {
  const file = path.join(ARTIFACTS, 'service-map.png');
  await page.screenshot({ path: file, fullPage: true });
  expect(fs.statSync(file).size).toBeGreaterThan(10_000);
  // Fit to the window: the whole map is visible without scrolling sideways.
  const box = await page.locator('main svg').boundingBox();
  expect(box!.width).toBeLessThanOrEqual(1600);
});

test('every namespace group, entity group and node is drawn and visible', async () => {
  const groups = await page
    .locator('svg .group')
    .evaluateAll((els) => els.map((e) => e.getAttribute('data-group')));
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
  for (const g of groups)
    await expect(page.locator(`svg .group[data-group="${g}"] rect`).isVisible()).resolves.toBe(true);
  const nodes = [
    'argocd/argocd-server',
    'blog/blog',
    'default/debug',
    'kube-system/coredns',
    'traefik/traefik',
    'webapp/postgres',
    'webapp/webapp',
    'entity:health',
    'entity:host',
    'entity:kube-apiserver',
    'entity:world',
    'fqdn:api.github.com',
    'fqdn:api.githubusercontent.com',
    'fqdn:github.com',
    'fqdn:githubusercontent.com',
  ];
  const drawn = await page
    .locator('svg .node')
    .evaluateAll((els) => els.map((e) => e.getAttribute('data-id')));
  expect([...drawn].sort()).toEqual([...nodes].sort());
  for (const n of nodes)
    await expect(page.locator(`svg .node[data-id="${n}"] rect`).isVisible()).resolves.toBe(true);
  // Each node lies inside its group's box.
  const inside = await page.evaluate(() => {
    const box = (el: Element) => el.getBoundingClientRect();
    const g = box(document.querySelector('svg .group[data-group="ns:webapp"] rect')!);
    return ['webapp/webapp', 'webapp/postgres'].every((id) => {
      const n = box(document.querySelector(`svg .node[data-id="${id}"] rect`)!);
      return n.left >= g.left && n.right <= g.right && n.top >= g.top && n.bottom <= g.bottom;
    });
  });
  expect(inside).toBe(true);
});

test('allowed edges are green and solid, denied red and dashed, undecided grey', async () => {
  for (const id of [
    'traefik/traefik->blog/blog:allowed',
    'webapp/webapp->webapp/postgres:allowed',
    'argocd/argocd-server->fqdn:api.github.com:allowed',
  ]) {
    const s = await stroke(`svg .edge[data-edge="${id}"] path`);
    expect(s).toEqual({ color: GREEN, dash: 'none', display: 'inline' });
    await expect(page.locator(`svg .edge[data-edge="${id}"] path`).isVisible()).resolves.toBe(true);
  }
  const denied = await stroke('svg .edge[data-edge="argocd/argocd-server->kube-system/coredns:denied"] path');
  expect(denied.color).toBe(RED);
  expect(denied.dash).not.toBe('none');
  const undecided = await stroke('svg .edge[data-edge="argocd/argocd-server->entity:world:undecided"] path');
  expect(undecided.color).toBe(GREY);
  await expect(
    page.locator('svg .edge-label[data-edge="traefik/traefik->blog/blog:allowed"]').textContent(),
  ).resolves.toBe('80/TCP');
  // Not drawn by default: a pair no policy names (it is in the table).
  await expect(page.locator('svg .edge[data-edge="default/debug->blog/blog:denied"]').count()).resolves.toBe(
    0,
  );
  await expect(page.locator('td', { hasText: 'default/debug' }).count()).resolves.toBeGreaterThan(0);
});

test('the toggles hide an edge class and hovering a node focuses its edges', async () => {
  const deniedEdge = 'svg .edge[data-edge="argocd/argocd-server->kube-system/coredns:denied"]';
  await page.locator('input[data-edge-class="denied"]').uncheck();
  await expect(page.locator(deniedEdge).isVisible()).resolves.toBe(false);
  await page.locator('input[data-edge-class="denied"]').check();
  await expect(page.locator(deniedEdge).isVisible()).resolves.toBe(true);
  await page.locator('svg .node[data-id="webapp/postgres"] rect').hover();
  const focus = await page.evaluate(() => ({
    svg: document.querySelector('main svg')!.classList.contains('focus'),
    hit: [...document.querySelectorAll('svg .edge.hit')].map((e) => e.getAttribute('data-edge')).sort(),
  }));
  expect(focus.svg).toBe(true);
  expect(focus.hit).toEqual([
    'entity:health->webapp/postgres:allowed',
    'entity:host->webapp/postgres:allowed',
    'webapp/webapp->webapp/postgres:allowed',
  ]);
  await page.mouse.move(1, 1);
});

test('nothing is fetched and nothing is logged as an error', async () => {
  expect(opened.requests).toEqual([opened.url]);
  expect(opened.consoleErrors).toEqual([]);
});
