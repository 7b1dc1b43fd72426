import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { freePort } from './free-port.js';
import { waitFor } from './wait.js';

export interface TestRedisCluster {
  urls: string[];
  /** Runs `PUBSUB <args>` on every shard. */
  onEachShard(...args: string[]): Promise<string[][]>;
  close(): Promise<void>;
}

/** A Redis Cluster of `shards` masters (Debian's redis-server, no replicas) in a temporary folder. */
export async function startRedisCluster(shards = 3): Promise<TestRedisCluster> {
  const dir = await mkdtemp(join(tmpdir(), 'tf-redis-cluster-'));
  const ports: number[] = [];
  const children: ChildProcess[] = [];
  for (let index = 0; index < shards; index += 1) {
    const port = await freePort();
    ports.push(port);
    children.push(
      spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--cluster-enabled', 'yes', '--cluster-config-file', join(dir, `nodes-${port}.conf`), '--dir', dir, '--save', '', '--appendonly', 'no'], { stdio: 'ignore' }),
    );
  }
  const exits = children.map((child) => new Promise<void>((resolve) => child.once('exit', () => resolve())));
  const close = async () => {
    children.forEach((child) => child.kill('SIGTERM'));
    await Promise.all(exits);
    await rm(dir, { recursive: true, force: true });
  };
  try {
    const addresses = ports.map((port) => `127.0.0.1:${port}`);
    await waitFor(() => ports.every((port) => spawnSync('redis-cli', ['-p', String(port), 'ping']).stdout?.toString().trim() === 'PONG'), 10_000, 'the cluster nodes');
    const created = spawnSync('redis-cli', ['--cluster', 'create', ...addresses, '--cluster-replicas', '0', '--cluster-yes']);
    if (created.status !== 0) throw new Error(`redis-cli --cluster create failed: ${created.stdout}${created.stderr}`);
    await waitFor(() => ports.every((port) => spawnSync('redis-cli', ['-p', String(port), 'cluster', 'info']).stdout?.toString().includes('cluster_state:ok')), 20_000, 'cluster_state:ok');
  } catch (error) {
    await close();
    throw error;
  }
  return {
    urls: ports.map((port) => `redis://127.0.0.1:${port}`),
    onEachShard: (...args) =>
      Promise.all(
        ports.map(async (port) => {
          const client = new Redis(port, '127.0.0.1');
          try {
            return (await client.call('PUBSUB', ...args)) as string[];
          } finally {
            client.disconnect();
          }
        }),
      ),
    close,
  };
}
