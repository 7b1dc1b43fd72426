import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const dist = fileURLToPath(new URL('../dist/', import.meta.url));

export interface FirstLoadJs {
  /** Paths under dist/ (e.g. `assets/index-….js`), the entry first. */
  files: string[];
  bytes: number;
  gzipBytes: number;
}

/** `<script src>` and `<link rel="modulepreload" href>` of the built index.html, as paths under dist/. */
function htmlScripts(html: string): string[] {
  const scripts = [...html.matchAll(/<script\b[^>]*\bsrc="\/([^"]+\.js)"/g)].map((match) => match[1]!);
  const preloads = [...html.matchAll(/<link\b[^>]*\brel="modulepreload"[^>]*\bhref="\/([^"]+\.js)"/g)].map((match) => match[1]!);
  return [...scripts, ...preloads];
}

/** Chunks a built module imports statically (`import … from "./x.js"`, `import "./x.js"`, `export … from`); `import("./x.js")` is lazy and left out. */
function staticImports(code: string): string[] {
  return [...code.matchAll(/(?:\bfrom\s*|\bimport\s*)"(\.\/[^"]+\.js)"/g)].map((match) => match[1]!.slice(2));
}

/**
 * The JavaScript a first visit to the app runs before any route's lazy chunk: the scripts of
 * web/dist/index.html, the chunks it preloads and everything those import statically, each
 * counted once and gzipped as the server would send it. Lazily loaded chunks (a page, RxDB,
 * video, a feature's strings) are not part of it.
 */
export function measureFirstLoadJs(): FirstLoadJs {
  const html = readFileSync(join(dist, 'index.html'), 'utf8');
  const files: string[] = [];
  const queue = htmlScripts(html);
  while (queue.length > 0) {
    const file = queue.shift()!;
    if (files.includes(file)) continue;
    files.push(file);
    const directory = file.includes('/') ? file.slice(0, file.lastIndexOf('/') + 1) : '';
    queue.push(...staticImports(readFileSync(join(dist, file), 'utf8')).map((imported) => `${directory}${imported}`));
  }
  const bodies = files.map((file) => readFileSync(join(dist, file)));
  return {
    files,
    bytes: bodies.reduce((sum, body) => sum + body.length, 0),
    gzipBytes: bodies.reduce((sum, body) => sum + gzipSync(body, { level: 9 }).length, 0),
  };
}
