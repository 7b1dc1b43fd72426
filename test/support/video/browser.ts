import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { bundlePageScript, harnessLoaded, launchChromium, PAGE_HTML, PAGE_SCRIPT_PATH } from '../browser/chromium.js';
import { requireMediasoupWorker } from '../prerequisites.js';

const FAKE_MEDIA_ARGS = ['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream'];

export interface VideoBrowser {
  browser: Browser;
  /** A page at http://127.0.0.1 (a secure context) with `window.harness` loaded. */
  newPage(): Promise<Page>;
  close(): Promise<void>;
}

/** Debian's Chromium plus a tiny server for the bundled SDK page; one per test file. */
export async function launchVideoBrowser(): Promise<VideoBrowser> {
  requireMediasoupWorker();
  const script = await bundlePageScript(new URL('./page.ts', import.meta.url));
  const server: Server = createServer((request, response) => {
    if (request.url === PAGE_SCRIPT_PATH) {
      response.writeHead(200, { 'content-type': 'text/javascript' }).end(script);
    } else {
      response.writeHead(200, { 'content-type': 'text/html' }).end(PAGE_HTML);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const browser = await launchChromium(FAKE_MEDIA_ARGS);
  return {
    browser,
    async newPage() {
      const page = await browser.newPage();
      await page.goto(`${origin}/`);
      await harnessLoaded(page);
      return page;
    },
    async close() {
      await browser.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
