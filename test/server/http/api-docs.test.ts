import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../../support/browser/chromium.js';
import { startTestPlatform, type TestPlatform } from '../../support/platform.js';

let node: TestPlatform;
let browser: Browser;

beforeAll(async () => {
  [node, browser] = await Promise.all([startTestPlatform(), launchChromium()]);
});
afterAll(async () => {
  await browser?.close();
  await node?.close();
});

describe('the API docs page', () => {
  it('renders in a browser from the server’s own assets, asking nothing of any other host', async () => {
    const page = await browser.newPage();
    const elsewhere: string[] = [];
    page.on('request', (request) => {
      if (new URL(request.url()).origin !== new URL(node.url).origin) elsewhere.push(request.url());
    });
    await page.goto(`${node.url}/api/v1/docs`);
    await page.getByText('Therapy Field API').first().waitFor({ timeout: 60_000 });
    await page.locator('.opblock-summary-path').first().waitFor({ timeout: 60_000 });
    // Swagger UI renders a long operation list (150 rows and more) virtualized, only what is in view:
    // scroll through it the way a reader does and see every tag of the document rendered.
    const spec = (await (await fetch(`${node.url}/api/v1/openapi.json`)).json()) as { paths: Record<string, Record<string, { tags?: string[] }>> };
    const tags = new Set(Object.values(spec.paths).flatMap((methods) => Object.values(methods).flatMap((operation) => operation.tags ?? [])));
    const rendered = new Set<string>();
    const paths = new Set<string>();
    for (let screen = 0; screen < 400 && (rendered.size < tags.size || !paths.has('/appointments')); screen++) {
      for (const tag of await page.locator('.opblock-tag').evaluateAll((headings) => headings.map((heading) => heading.getAttribute('data-tag') ?? ''))) rendered.add(tag);
      for (const path of await page.locator('.opblock-summary-path').evaluateAll((items) => items.map((item) => item.getAttribute('data-path') ?? ''))) paths.add(path);
      await page.mouse.wheel(0, 600);
      await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
    }
    expect([...tags].filter((tag) => !rendered.has(tag))).toEqual([]);
    expect(paths).toContain('/appointments');
    // The server the API is on is offered.
    await expect(page.locator('.servers select option').first().textContent()).resolves.toContain('/api/v1');
    expect(elsewhere).toEqual([]);
    await page.close();
  });

  it('serves only the two Swagger UI files', async () => {
    const css = await fetch(`${node.url}/api/v1/docs/assets/swagger-ui-dist/swagger-ui.css`);
    expect(css.status).toBe(200);
    expect(css.headers.get('content-type')).toMatch(/^text\/css/);
    const other = await fetch(`${node.url}/api/v1/docs/assets/swagger-ui-dist/package.json`);
    expect(other.status).toBe(404);
    expect((await other.json()).error.code).toBe('NOT_FOUND');
  });
});
