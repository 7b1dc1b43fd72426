import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { waitFor } from '../wait.js';

/** What the test page's `window.harness` (page.ts) reports. */
export type PageStats = { bytesReceived: number; bytesSent: number; remoteTracks: number };

export const stats = (page: Page) => page.evaluate(() => (globalThis as unknown as { harness: { stats(): Promise<PageStats> } }).harness.stats());
export const state = (page: Page) => page.evaluate(() => (globalThis as unknown as { harness: { state(): string } }).harness.state());
export const events = (page: Page) => page.evaluate(() => (globalThis as unknown as { harness: { events: string[] } }).harness.events);

/** Waits until every page receives media again: both remote tracks there and bytesReceived growing by `bytes`. */
export async function allReceiving(pages: Page[], what: string, bytes = 50_000, timeoutMs = 30_000): Promise<void> {
  const baseline = await Promise.all(pages.map(stats));
  await waitFor(
    async () => {
      const now = await Promise.all(pages.map((page) => stats(page).catch(() => ({ bytesReceived: 0, bytesSent: 0, remoteTracks: 0 }))));
      return now.every((current, index) => current.remoteTracks === 2 && current.bytesReceived >= baseline[index]!.bytesReceived + bytes);
    },
    timeoutMs,
    what,
  );
}

/** Joins the appointment's call from the page through the server at `url`; the therapist's page admits whoever waits. */
export const joinCall = (page: Page, url: string, token: string, appointmentId: string, autoAdmit: boolean) =>
  page.evaluate(([url, token, id, admit]) => (globalThis as any).harness.join(url, token, id, admit) as Promise<string>, [url, token, appointmentId, autoAdmit] as const);

/**
 * The client joins a call whose therapist page admits automatically: it waits, the therapist's
 * page sees it waiting, and it ends up connected.
 */
export async function clientAdmittedThroughWaitingRoom(
  pages: { client: Page; therapist: Page },
  url: string,
  client: { id: string; accessToken: string },
  appointmentId: string,
): Promise<void> {
  expect(await joinCall(pages.client, url, client.accessToken, appointmentId, false)).toBe('waiting');
  await waitFor(async () => (await state(pages.client)) === 'connected', 30_000, 'the client admitted and connected');
  expect(await events(pages.therapist)).toContain(`waiting:${client.id}`);
}
