import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { createLogger, Database, EmbeddedPostgresServer } from '@therapy-field/server';
import { freePort } from './free-port.js';
import { testDatabaseRoles } from './database-roles.js';

export const TEMPLATE_DATABASE = 'tf_template';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Superuser URL of the test run's embedded PostgreSQL, database `postgres`. */
    postgresAdminUrl: string;
    templateDatabase: string;
  }
}

/**
 * One embedded PostgreSQL for the whole run, with a migrated template database; each test file
 * copies the template (milliseconds) instead of migrating again.
 */
export default async function setup(project: TestProject) {
  const logger = createLogger(process.env.LOG_LEVEL ?? 'warn');
  const root = await mkdtemp(join(tmpdir(), 'tf-test-pg-'));
  // postgres runs as its own OS user when we are root: it must be able to reach its data folder.
  await chmod(root, 0o755);
  const server = await EmbeddedPostgresServer.create({ dataDir: join(root, 'data'), port: await freePort(), logger });
  await server.createDatabaseIfMissing(TEMPLATE_DATABASE);
  const template = await Database.create({ databaseUrl: server.url(TEMPLATE_DATABASE), dataDir: root, embeddedPostgresPort: 0, databaseRoles: testDatabaseRoles }, logger);
  await template.migrate();
  await template.close();

  project.provide('postgresAdminUrl', server.url('postgres'));
  project.provide('templateDatabase', TEMPLATE_DATABASE);

  return async () => {
    await server.close();
    // The cluster may live outside `root` (linked from it) when TMPDIR is private to root.
    await rm(server.databaseDir, { recursive: true, force: true });
    await rm(root, { recursive: true, force: true });
  };
}
