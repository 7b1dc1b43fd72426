import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { requireChromium } from '../prerequisites.js';

/** Debian's Chromium, headless, with nothing of its own talking to the network. */
export const CHROMIUM_ARGS = ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export const launchChromium = (extraArgs: string[] = []): Promise<Browser> =>
  chromium.launch({ executablePath: requireChromium(), args: [...CHROMIUM_ARGS, ...extraArgs] });

/** Bundles a test page's script (the real SDK and its dependencies) for the browser with esbuild. */
export async function bundlePageScript(entry: URL): Promise<string> {
  const bundle = await build({
    entryPoints: [fileURLToPath(entry)],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'browser',
    target: 'chrome120',
    logLevel: 'silent',
  });
  return bundle.outputFiles[0]!.text;
}

export const PAGE_SCRIPT_PATH = '/page.js';
export const PAGE_HTML = `<!doctype html><meta charset="utf-8"><script type="module" src="${PAGE_SCRIPT_PATH}"></script>`;

/**
 * Serves the page at `${origin}${path}` to every page of the context from the test itself (no
 * network involved), so it also loads while the context is offline and shares the origin of
 * the server it talks to.
 */
export async function routeTestPage(context: BrowserContext, origin: string, path: string, script: string): Promise<void> {
  await context.route(`${origin}${path}`, (route) => route.fulfill({ contentType: 'text/html', body: PAGE_HTML }));
  await context.route(`${origin}${PAGE_SCRIPT_PATH}`, (route) => route.fulfill({ contentType: 'text/javascript', body: script }));
}

/** Waits for the page script to have put `window.harness` in place. */
export const harnessLoaded = (page: Page) => page.waitForFunction(() => 'harness' in globalThis, undefined, { timeout: 10_000 });
