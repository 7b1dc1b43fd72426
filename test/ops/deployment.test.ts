import { readFile } from 'node:fs/promises';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { outdir } from '../../server/scripts/build-server.mjs';

// No Docker engine runs here: these check the files' shape; test/ops/server-build.test.ts runs the
// build they rely on and test/ops/nginx.test.ts the nginx configuration they mount.
const root = new URL('../../', import.meta.url);
const read = (path: string) => readFile(new URL(path, root), 'utf8');

interface Service {
  build?: unknown;
  image?: string;
  command?: string[];
  restart?: string;
  profiles?: string[];
  ports?: string[];
  volumes?: string[];
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string; required?: boolean }>;
}

const compose = parse(await read('docker-compose.yml'), { merge: true }) as { services: Record<string, Service> };
const services = compose.services;
const appNodes = Object.keys(services).filter((name) => /^app-\d+$/.test(name));
const builtDir = `${relative(fileURLToPath(root), outdir)}/`;

describe('docker-compose.yml', () => {
  it('runs two app nodes from the image, reachable only through nginx', () => {
    expect(appNodes).toEqual(['app-1', 'app-2']);
    for (const name of appNodes) {
      expect(services[name]!.build).toBe('.');
      expect(services[name]!.environment!.REDIS_URL).toBe('redis://redis:6379');
      // Media ports only: HTTP and sockets go through the balancer.
      for (const port of services[name]!.ports ?? []) expect(port).toMatch(/^\d+-\d+:\d+-\d+\/(udp|tcp)$/);
    }
  });

  it('puts nginx with the repository configuration in front of exactly those nodes, and PUBLIC_URL is nginx', async () => {
    const nginx = services.nginx!;
    expect(nginx.image).toMatch(/^nginx:/);
    expect(nginx.volumes).toEqual(
      expect.arrayContaining([expect.stringMatching(/^\.\/ops\/nginx\/therapy-field\.conf:\/etc\/nginx\/conf\.d\/default\.conf/), expect.stringMatching(/^\.\/ops\/nginx\/therapy-field\.upstreams\.conf:/)]),
    );
    expect(Object.keys(nginx.depends_on!).sort()).toEqual(appNodes);
    const upstreams = await read('ops/nginx/therapy-field.upstreams.conf');
    for (const group of ['therapy_field', 'therapy_field_by_client']) {
      const block = new RegExp(`upstream ${group} \\{([^}]*)\\}`).exec(upstreams)?.[1] ?? '';
      expect([...block.matchAll(/server (app-\d+):3000/g)].map(([, node]) => node)).toEqual(appNodes);
    }
    const [published] = nginx.ports!;
    const balancerPort = /:-(\d+)\}:80$/.exec(published!)?.[1];
    expect(balancerPort).toBeDefined();
    for (const name of appNodes) expect(services[name]!.environment!.PUBLIC_URL).toBe(`\${PUBLIC_URL:-http://localhost:${balancerPort}}`);
  });

  it('migrates once, in a one-shot service the nodes wait for', () => {
    const migrate = services.migrate!;
    expect(migrate.build).toBe('.');
    expect(migrate.restart).toBe('no');
    expect(migrate.command).toEqual(['node', '--enable-source-maps', `${builtDir}migrate.js`, 'up']);
    expect(migrate.depends_on!.postgres).toEqual({ condition: 'service_healthy' });
    for (const name of appNodes) expect(services[name]!.depends_on!.migrate).toEqual({ condition: 'service_completed_successfully' });
  });

  it('starts Elasticsearch only in its profile, and nothing else needs it', () => {
    expect(services.elasticsearch!.profiles).toEqual(['elasticsearch']);
    expect(Object.entries(services).filter(([, service]) => service.profiles).map(([name]) => name)).toEqual(['elasticsearch']);
    // A node waits for it when the profile runs, and starts without it otherwise.
    for (const service of Object.values(services)) {
      const elasticsearch = service.depends_on?.elasticsearch;
      if (elasticsearch) expect(elasticsearch.required).toBe(false);
    }
    for (const name of appNodes) expect(services[name]!.environment!.SEARCH_BACKEND).toBe('${SEARCH_BACKEND:-postgres}');
  });
});

describe('Dockerfile', () => {
  it('builds in one stage and runs the built JavaScript on Node 24 with production dependencies only, as a non-root user', async () => {
    const dockerfile = await read('Dockerfile');
    const stages = dockerfile.split(/^(?=FROM )/m).filter((stage) => stage.startsWith('FROM '));
    expect(stages.length).toBeGreaterThanOrEqual(2);
    for (const stage of stages) expect(stage).toMatch(/^FROM node:24[-.\w]*/);
    const [build, run] = [stages[0]!, stages.at(-1)!];
    expect(build).toContain('npm run build:server');
    expect(JSON.parse(await read('package.json')).scripts['build:server']).toBe('node server/scripts/build-server.mjs');

    expect(run).toMatch(/^RUN npm ci --omit=dev\b/m);
    expect(run).not.toMatch(/tsx/);
    expect(run).toContain(`COPY --from=build /app/${builtDir.replace(/\/$/, '')} ${builtDir.replace(/\/$/, '')}`);
    const user = [...run.matchAll(/^USER (\S+)/gm)].at(-1)?.[1];
    expect(user).toBeDefined();
    expect(['root', '0']).not.toContain(user);
    expect(run.indexOf(`USER ${user}`)).toBeLessThan(run.indexOf('CMD '));
    expect(/^CMD (.*)$/m.exec(run)?.[1]).toBe(`["node", "--enable-source-maps", "${builtDir}main.js"]`);
  });
});
