import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { BrowserContext, chromium, Page } from 'playwright-core';

/** Screenshots and pages the browser suites leave behind for people to look at. */
export const ARTIFACTS = path.join(__dirname, '..', '..', 'test-artifacts');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export interface OpenedPage {
  readonly page: Page;
  readonly url: string;
  /** Console errors and uncaught exceptions of the page. */
  readonly consoleErrors: string[];
  /** Every URL the page requested. */
  readonly requests: string[];
  close(): Promise<void>;
}

/** Writes `html` to test-artifacts/<fileName> and opens it from a file:// URL in headless Chromium. */
export async function openHtml(fileName: string, html: string): Promise<OpenedPage> {
  if (!fs.existsSync(CHROMIUM))
    throw new Error(`${CHROMIUM} is missing: run scripts/ci-browser.sh (apt-get install chromium)`);
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  const file = path.join(ARTIFACTS, fileName);
  fs.writeFileSync(file, html);
  const url = pathToFileURL(file).href;
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'service-map-chromium-'));
  let context: BrowserContext | undefined;
  try {
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
      viewport: { width: 1600, height: 1000 },
    });
    const page = context.pages()[0] ?? (await context.newPage());
    const consoleErrors: string[] = [];
    const requests: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') consoleErrors.push(m.text());
    });
    page.on('pageerror', (e) => consoleErrors.push(String(e)));
    page.on('request', (r) => requests.push(r.url()));
    await page.goto(url, { waitUntil: 'load' });
    const opened = context;
    return {
      page,
      url,
      consoleErrors,
      requests,
      close: async () => {
        await opened.close();
        fs.rmSync(userDataDir, { recursive: true, force: true });
      },
    };
  } catch (e) {
    await context?.close();
    fs.rmSync(userDataDir, { recursive: true, force: true });
    throw e;
  }
}
