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
    await page.getByText('Therapy Field API').first().waitFor({ timeout: 30_000 });
    await page.locator('.opblock-summary-path', { hasText: '/appointments' }).first().waitFor({ timeout: 15_000 });
    // Every tag of the document is a section; the server the API is on is offered.
    const spec = (await (await fetch(`${node.url}/api/v1/openapi.json`)).json()) as { paths: Record<string, Record<string, { tags?: string[] }>> };
    const tags = new Set(Object.values(spec.paths).flatMap((methods) => Object.values(methods).flatMap((operation) => operation.tags ?? [])));
    expect(tags.size).toBeGreaterThan(10);
    for (const tag of tags) await page.locator(`[data-tag="${tag}"]`).first().waitFor({ timeout: 15_000 });
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
