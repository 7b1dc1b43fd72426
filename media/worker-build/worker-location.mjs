// Where the built mediasoup-worker lives: shared by build-worker.mjs (which
// builds it there) and the media workspace (which runs it), so both always
// agree on the cache path.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
const PROJECT_ROOT = resolve(HERE, '..', '..');

export const BUILD_COMMAND = 'node media/worker-build/build-worker.mjs';
export const BINARY_NAME = 'mediasoup-worker';

// Files of this folder that do not change the binary (left out of the cache key).
const KEY_EXCLUDED = new Set(['README.md']);

// Looked up like `require('mediasoup')` from the project root would, without
// resolving the package itself: its "exports" hide package.json.
export function findMediasoup() {
	const lookupPaths = createRequire(join(PROJECT_ROOT, 'package.json')).resolve.paths('mediasoup') ?? [];

	return lookupPaths.map((p) => join(p, 'mediasoup')).find((d) => existsSync(join(d, 'package.json')));
}

export function cacheRoot() {
	const base = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');

	return join(base, 'therapy-field', 'mediasoup-worker');
}

/** The cached binary's path for the mediasoup copy in `mediasoupDir` (it may not exist yet). */
export function cachedWorkerPath(mediasoupDir) {
	const { version } = JSON.parse(readFileSync(join(mediasoupDir, 'package.json'), 'utf8'));

	return join(cacheRoot(), `${version}-${hashFolder(HERE)}`, BINARY_NAME);
}

/**
 * The worker binary to run: MEDIASOUP_WORKER_BIN when set, else the cached build for the installed
 * mediasoup. `path` is undefined when there is none; `reason` then says why and how to fix it.
 */
export function locateWorkerBinary(env = process.env) {
	if (env.MEDIASOUP_WORKER_BIN) {
		return existsSync(env.MEDIASOUP_WORKER_BIN)
			? { path: env.MEDIASOUP_WORKER_BIN }
			: { reason: `MEDIASOUP_WORKER_BIN=${env.MEDIASOUP_WORKER_BIN} does not exist`, fix: BUILD_COMMAND };
	}
	const mediasoupDir = findMediasoup();

	if (!mediasoupDir) return { reason: 'the mediasoup package is not installed', fix: `npm install && ${BUILD_COMMAND}` };
	const path = cachedWorkerPath(mediasoupDir);

	return existsSync(path) ? { path } : { reason: `mediasoup-worker is not built (expected at ${path})`, fix: BUILD_COMMAND };
}

function hashFolder(root) {
	const hash = createHash('sha256');

	for (const file of listFiles(root)) {
		hash.update(`${relative(root, file)}\0`);
		hash.update(readFileSync(file));
		hash.update('\0');
	}

	return hash.digest('hex').slice(0, 16);
}

function listFiles(dir) {
	return readdirSync(dir, { withFileTypes: true })
		.filter((entry) => !KEY_EXCLUDED.has(entry.name))
		.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
		.flatMap((entry) => {
			const path = join(dir, entry.name);

			return entry.isDirectory() ? listFiles(path) : [path];
		});
}
