import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { expect } from 'vitest';

/** Where browser tests keep their screenshots (a CI artifact). */
export const WEB_ARTIFACTS = new URL('../../../test-artifacts/web/', import.meta.url);

export const screenshot = (page: Page, name: string) => page.screenshot({ path: new URL(`${name}.png`, WEB_ARTIFACTS).pathname, fullPage: true });

/** Waits for the element; on a timeout the page's screenshot is kept to look at. */
export async function visible(locator: Locator, timeout = 20_000): Promise<void> {
  try {
    await locator.first().waitFor({ state: 'visible', timeout });
  } catch (error) {
    await screenshot(locator.page(), `failed-${Date.now()}`);
    throw error;
  }
}

/** Browser contexts of one test file (each its own cookies, storage and service worker), closed after each test. */
export class WebAppPages {
  private readonly contexts: BrowserContext[] = [];
  constructor(private readonly browser: () => Browser) {
    mkdirSync(WEB_ARTIFACTS, { recursive: true });
  }

  async newPage(locale: 'en-GB' | 'el-GR', viewport = { width: 1200, height: 900 }): Promise<Page> {
    const context = await this.browser().newContext({ locale, viewport });
    this.contexts.push(context);
    const page = await context.newPage();
    // Uncaught errors in the page go to the test's output, to read beside a failure's screenshot.
    page.on('pageerror', (error) => console.error('page error:', error.stack));
    page.on('console', (message) => message.type() === 'error' && console.error('page console:', message.text()));
    return page;
  }

  async closeAll(): Promise<void> {
    await Promise.all(this.contexts.splice(0).map((context) => context.close()));
  }
}

export async function signIn(page: Page, origin: string, email: string, password: string, labels: { email: string; password: string; submit: string }) {
  await page.goto(`${origin}/`);
  await page.getByLabel(labels.email).fill(email);
  await page.getByLabel(labels.password).fill(password);
  await page.getByRole('button', { name: labels.submit }).click();
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/**
 * Runs axe-core in the page (evaluated over the DevTools protocol, so the app's
 * Content-Security-Policy stays as it is) and expects no serious or critical violation.
 */
export async function expectAccessible(page: Page, name: string): Promise<void> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(context: Document): Promise<{ violations: Array<{ id: string; impact: string | null; nodes: Array<{ target: unknown[] }> }> }> } }).axe;
    const result = await axe.run(document);
    return result.violations
      .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
      .map((violation) => `${violation.id}: ${violation.nodes.slice(0, 3).map((node) => JSON.stringify(node.target)).join(' ')}`);
  });
  expect(violations.join('\n'), `accessibility of ${name}`).toBe('');
}
