import { readdirSync, readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureWebAppBuilt } from '../../web/scripts/build-if-stale.js';
import { measureFirstLoadJs } from '../../web/scripts/first-load.js';

/** The budget for the client app's first load. */
const FIRST_LOAD_BUDGET_GZIP_BYTES = 200 * 1024;
const dist = new URL('../../web/dist/', import.meta.url);

beforeAll(() => ensureWebAppBuilt(), 300_000);

describe('the web app build', () => {
  it("keeps the first load's JavaScript (entry, modulepreloads and their static imports) under 200 KB gzipped", () => {
    const firstLoad = measureFirstLoadJs();
    const html = readFileSync(new URL('index.html', dist), 'utf8');
    expect(html).toContain(`src="/${firstLoad.files[0]}"`);
    // Every chunk the HTML preloads is counted, not only the entry script.
    for (const preload of html.matchAll(/rel="modulepreload"[^>]*href="\/([^"]+)"/g)) expect(firstLoad.files).toContain(preload[1]);
    expect(firstLoad.gzipBytes, `first-load JavaScript: ${firstLoad.files.join(', ')}`).toBeLessThan(FIRST_LOAD_BUDGET_GZIP_BYTES);
  });

  it('leaves the offline database (RxDB) and video (mediasoup-client) out of the first load', () => {
    const { files } = measureFirstLoadJs();
    const code = files.map((file) => readFileSync(new URL(file, dist), 'utf8')).join('\n');
    expect(code).not.toMatch(/rxdb/i);
    expect(code).not.toMatch(/mediasoup/i);
    // They are in the build all the same, as lazily loaded chunks.
    const chunks = readdirSync(new URL('assets/', dist)).filter((file) => file.endsWith('.js'));
    expect(chunks.some((file) => /rxdb/i.test(readFileSync(new URL(`assets/${file}`, dist), 'utf8')))).toBe(true);
    expect(chunks.some((file) => /mediasoup/i.test(readFileSync(new URL(`assets/${file}`, dist), 'utf8')))).toBe(true);
  });

  it('has the service worker precache every chunk, lazy ones too, so any page opens offline after a reload', () => {
    const worker = readFileSync(new URL('sw.js', dist), 'utf8');
    const precached = new Set([...worker.matchAll(/url:"([^"]+)"/g)].map((match) => match[1]));
    const chunks = readdirSync(new URL('assets/', dist)).filter((file) => file.endsWith('.js') || file.endsWith('.css'));
    expect(chunks.length).toBeGreaterThan(10);
    expect(chunks.filter((file) => !precached.has(`assets/${file}`))).toEqual([]);
    expect(precached.has('index.html')).toBe(true);
  });
});
