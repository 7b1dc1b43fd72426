import { readdir } from 'node:fs/promises';

/**
 * `npm run bench [name…]`: runs each `bench/<name>/index.ts` (default export: an async function
 * returning a JSON-serialisable result) and prints one JSON object keyed by benchmark name.
 */
const benchDir = new URL('./', import.meta.url);
const wanted = process.argv.slice(2);
const names = (await readdir(benchDir, { withFileTypes: true }))
  .filter((entry) => entry.isDirectory() && (wanted.length === 0 || wanted.includes(entry.name)))
  .map((entry) => entry.name)
  .sort();

const results: Record<string, unknown> = {};
for (const name of names) {
  const { default: run } = (await import(new URL(`./${name}/index.ts`, benchDir).href)) as { default: () => Promise<unknown> };
  results[name] = await run();
}
console.log(JSON.stringify({ machine: { cores: (await import('node:os')).cpus().length, node: process.version }, results }, null, 2));
