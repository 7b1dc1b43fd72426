import { spawn, type ChildProcess } from 'node:child_process';
import { chmod, chown, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from './free-port.js';
import { requireNginx } from './prerequisites.js';
import { waitFor } from './wait.js';

export interface TestNginx {
  url: string;
  close(): Promise<void>;
}

const repositoryConf = fileURLToPath(new URL('../../ops/nginx/therapy-field.conf', import.meta.url));
const repositoryUpstreams = fileURLToPath(new URL('../../ops/nginx/therapy-field.upstreams.conf', import.meta.url));

/**
 * Debian's nginx (`/usr/sbin/nginx`) in the foreground on a free port, with the repository's
 * ops/nginx/therapy-field.conf (only its `listen` port changed) and therapy-field.upstreams.conf
 * (docker-compose's nodes replaced by `nodePorts`) in front of the test's nodes. Everything
 * it writes stays in a temporary folder, so it runs as root and as an ordinary user alike; a root
 * test can start it as `options.user`.
 */
export async function startNginx(nodePorts: number[], options: { user?: { uid: number; gid: number } } = {}): Promise<TestNginx> {
  const nginx = requireNginx();
  const port = await freePort();
  const prefix = await mkdtemp(join(tmpdir(), 'tf-nginx-'));
  // As root, nginx's workers run as `nobody` and must reach the temp folders nginx makes here.
  await chmod(prefix, 0o755);
  const site = await readFile(repositoryConf, 'utf8');
  if (site.match(/^\s*listen 80;$/gm)?.length !== 1) throw new Error(`${repositoryConf} should have one "listen 80;"`);
  await writeFile(join(prefix, 'therapy-field.conf'), site.replace(/^(\s*)listen 80;$/m, `$1listen 127.0.0.1:${port};`));
  const upstreams = await readFile(repositoryUpstreams, 'utf8');
  const composeServers = /(?:^[ \t]*server app-\d+:3000\b([^;\n]*);\n)+/gm;
  if (upstreams.match(composeServers)?.length !== 2) throw new Error(`${repositoryUpstreams} should list the compose nodes in two upstream groups`);
  await writeFile(
    join(prefix, 'upstreams.conf'),
    upstreams.replace(composeServers, (_servers, parameters: string) => nodePorts.map((nodePort) => `    server 127.0.0.1:${nodePort}${parameters};\n`).join('')),
  );
  await writeFile(
    join(prefix, 'nginx.conf'),
    `daemon off;
worker_processes 1;
worker_shutdown_timeout 5s;
pid ${prefix}/nginx.pid;
error_log ${prefix}/error.log warn;
events { worker_connections 512; }
http {
  access_log off;
  client_body_temp_path ${prefix}/client-body;
  proxy_temp_path ${prefix}/proxy;
  fastcgi_temp_path ${prefix}/fastcgi;
  uwsgi_temp_path ${prefix}/uwsgi;
  scgi_temp_path ${prefix}/scgi;
  include ${prefix}/upstreams.conf;
  include ${prefix}/therapy-field.conf;
}
`,
  );
  if (options.user) for (const file of ['', 'therapy-field.conf', 'upstreams.conf', 'nginx.conf']) await chown(join(prefix, file), options.user.uid, options.user.gid);
  const child: ChildProcess = spawn(nginx, ['-p', prefix, '-c', join(prefix, 'nginx.conf'), '-e', join(prefix, 'error.log')], {
    stdio: ['ignore', 'ignore', 'pipe'],
    ...options.user,
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  let gone = false;
  void exited.then(() => (gone = true));
  try {
    await waitFor(
      async () => {
        if (gone) throw new Error(`nginx exited: ${stderr}${await readFile(join(prefix, 'error.log'), 'utf8').catch(() => '')}`);
        return fetch(`${url}/health`).then(() => true, () => false);
      },
      10_000,
      'nginx to listen',
    );
  } catch (error) {
    child.kill('SIGKILL');
    await rm(prefix, { recursive: true, force: true });
    throw error;
  }
  return {
    url,
    close: async () => {
      // SIGQUIT: graceful shutdown of the master and its workers.
      if (!gone) child.kill('SIGQUIT');
      await exited;
      await rm(prefix, { recursive: true, force: true });
    },
  };
}
