#!/usr/bin/env node
// Builds mediasoup's C++ worker from the source inside its npm package, against
// Debian packages, without network access (mediasoup's own postinstall wants
// GitHub). The binary is cached per mediasoup version + contents of this
// folder; its path is printed on stdout. Use it via MEDIASOUP_WORKER_BIN.
//
//   node media/worker-build/build-worker.mjs [--optional] [--mediasoup-dir <path>]
//
// --optional: when the worker cannot be built, say so and exit 0 (npm ci must
// not fail just because video is unavailable).
import { spawnSync } from 'node:child_process';
import {
	accessSync, chmodSync, closeSync, constants, copyFileSync, cpSync, existsSync, mkdirSync,
	mkdtempSync, openSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync,
} from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { delimiter, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BINARY_NAME, BUILD_COMMAND as SELF_COMMAND, cachedWorkerPath, findMediasoup } from './worker-location.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));

// What the build needs and which Debian package provides it (keep in sync with
// apt-packages.txt).
const PROGRAMS = [
	['gcc', 'g++'],
	['g++', 'g++'],
	['meson', 'meson'],
	['ninja', 'ninja-build'],
	['pkg-config', 'pkg-config'],
	['flatc', 'flatbuffers-compiler'],
];
const PKG_CONFIG_MODULES = [
	['libuv', 'libuv1-dev'],
	['libssl', 'libssl-dev'],
	['libsrtp2', 'libsrtp2-dev'],
	['absl_strings', 'libabsl-dev'],
	['flatbuffers', 'libflatbuffers-dev'],
];

// Exact edits of mediasoup's worker source. Each `from` must be found (or `to`
// already be there), so a new mediasoup version fails loudly instead of
// silently building something else.
const SOURCE_EDITS = [
	{
		// Debian 12 ships meson 1.0.1, which builds this worker fine.
		file: 'meson.build',
		from: "meson_version: '>= 1.1.0'",
		to: "meson_version: '>= 1.0.1'",
	},
	{
		// OpenSSL calls the BIO callback with BIO_CB_RETURN | BIO_CB_<op>, so the
		// `==` test made every BIO_ctrl() on the outgoing BIO answer 1. With
		// Debian's kernel-TLS-enabled libssl, BIO_get_ktls_send() then says yes,
		// libssl leaves its write buffer NULL and the worker segfaults on the
		// first DTLS ServerHello.
		file: 'src/RTC/DtlsTransport.cpp',
		from: '(operationType == BIO_CB_RETURN) ? static_cast<long>(ret) : 1',
		to: '((operationType & BIO_CB_RETURN) != 0) ? static_cast<long>(ret) : 1',
	},
];

/** Failure that means "no video here", with the command that fixes it. */
class Unavailable extends Error {}

main();

function main() {
	const options = parseArgs(process.argv.slice(2));

	try {
		const mediasoupDir = options.mediasoupDir ?? findMediasoup();

		if (!mediasoupDir) throw new Unavailable(`the mediasoup package is not installed; run npm install, then ${SELF_COMMAND}`);
		const version = readJson(join(mediasoupDir, 'package.json')).version;
		const binary = cachedWorkerPath(mediasoupDir);

		if (!existsSync(binary)) {
			checkBuildTools();
			buildInto(mediasoupDir, version, binary);
		}

		process.stdout.write(`${binary}\n`);
	} catch (error) {
		const reason = error instanceof Unavailable ? error.message : `mediasoup-worker build failed: ${error.stack}`;

		console.error(`video unavailable: ${reason}`);
		process.exitCode = options.optional ? 0 : 1;
	}
}

function parseArgs(args) {
	const options = { optional: false, mediasoupDir: undefined };

	for (let i = 0; i < args.length; i++) {
		if (args[i] === '--optional') options.optional = true;
		else if (args[i] === '--mediasoup-dir' && args[i + 1]) options.mediasoupDir = resolve(args[++i]);
		else {
			console.error(`usage: ${SELF_COMMAND} [--optional] [--mediasoup-dir <path>]`);
			process.exit(2);
		}
	}

	return options;
}

function checkBuildTools() {
	const missing = [
		...PROGRAMS.filter(([program]) => !onPath(program)),
		...PKG_CONFIG_MODULES.filter(([module]) => !hasPkgConfigModule(module)),
	];

	if (missing.length === 0) return;

	const names = missing.map(([name]) => name).join(', ');
	const packages = [...new Set(missing.map(([, pkg]) => pkg))].join(' ');

	throw new Unavailable(
		`cannot build mediasoup-worker, missing ${names}; fix: apt-get install -y ${packages} && ${SELF_COMMAND}`,
	);
}

function onPath(program) {
	return (process.env.PATH ?? '').split(delimiter).some((dir) => {
		try {
			accessSync(join(dir, program), constants.X_OK);
			return true;
		} catch {
			return false;
		}
	});
}

function hasPkgConfigModule(module) {
	return spawnSync('pkg-config', ['--exists', module]).status === 0;
}

function buildInto(mediasoupDir, version, binary) {
	const workDir = mkdtempSync(join(tmpdir(), 'mediasoup-worker-build-'));
	const sourceDir = join(workDir, 'worker');
	const buildDir = join(workDir, 'build');
	const log = join(workDir, 'build.log');
	const started = Date.now();

	console.error(`building mediasoup-worker ${version} from source (a few minutes; log: ${log})`);
	cpSync(join(mediasoupDir, 'worker'), sourceDir, {
		recursive: true,
		filter: (path) => relative(mediasoupDir, path) !== join('worker', 'out'),
	});
	applySourceEdits(sourceDir);
	installSubprojects(sourceDir);

	run(log, 'meson', [
		'setup', buildDir, sourceDir,
		'--wrap-mode=nodownload',
		'--buildtype=release',
		'-Db_ndebug=true',
		'-Dms_build_tests=false',
		'-Dms_build_fuzzer=false',
	]);
	run(log, 'ninja', ['-C', buildDir, '-j', String(availableParallelism()), BINARY_NAME]);

	publish(join(buildDir, BINARY_NAME), binary);
	rmSync(workDir, { recursive: true, force: true });
	console.error(`built mediasoup-worker in ${Math.round((Date.now() - started) / 1000)} s`);
}

function applySourceEdits(sourceDir) {
	for (const { file, from, to } of SOURCE_EDITS) {
		const path = join(sourceDir, file);
		const text = readFileSync(path, 'utf8');

		if (text.includes(from)) writeFileSync(path, text.replace(from, to));
		else if (!text.includes(to)) throw new Error(`${file} changed upstream, update SOURCE_EDITS in ${fileURLToPath(import.meta.url)}`);
	}
}

// Each of our subprojects/<name>/ replaces mediasoup's subprojects/<name>.wrap:
// meson uses an existing folder named like the wrap's `directory` as is, so
// with --wrap-mode=nodownload nothing is fetched.
function installSubprojects(sourceDir) {
	const ours = join(HERE, 'subprojects');

	for (const name of readdirSync(ours)) {
		const wrap = readFileSync(join(sourceDir, 'subprojects', `${name}.wrap`), 'utf8');
		const directory = /^directory\s*=\s*(.+)$/m.exec(wrap)?.[1].trim();

		if (!directory) throw new Error(`no directory in subprojects/${name}.wrap`);
		// A folder left by an earlier mediasoup postinstall holds the real sources.
		rmSync(join(sourceDir, 'subprojects', directory), { recursive: true, force: true });
		cpSync(join(ours, name), join(sourceDir, 'subprojects', directory), { recursive: true });
	}
}

function run(log, command, args) {
	const fd = openSync(log, 'a');

	try {
		writeFileSync(fd, `\n$ ${command} ${args.join(' ')}\n`);
		const result = spawnSync(command, args, { stdio: ['ignore', fd, fd] });

		if (result.status !== 0) {
			throw new Unavailable(`mediasoup-worker build failed at \`${command}\`, see ${log}\n${tail(log, 25)}`);
		}
	} finally {
		closeSync(fd);
	}
}

function tail(file, lines) {
	return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
}

// Copy under a temporary name then rename, so a concurrent or interrupted run
// never sees a half-written binary.
function publish(built, binary) {
	if (!statSync(built).isFile()) throw new Error(`ninja produced no ${built}`);

	mkdirSync(dirname(binary), { recursive: true });
	const temporary = `${binary}.tmp-${process.pid}`;

	copyFileSync(built, temporary);
	chmodSync(temporary, 0o755);
	renameSync(temporary, binary);
}

function readJson(path) {
	return JSON.parse(readFileSync(path, 'utf8'));
}
