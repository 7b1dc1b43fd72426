import { afterAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../support/database.js';
import { apiClient } from '../../support/http.js';
import { startTestPlatform, type TestPlatform } from '../../support/platform.js';

const started: TestPlatform[] = [];
let database: TestDatabase;

afterAll(async () => {
  await Promise.all(started.map((node) => node.close()));
  await database?.drop();
});

describe('several nodes starting together', () => {
  it('set up the job runner once, without deadlocking each other', async () => {
    // A migrated database without the job runner's schema: every node reaches pg-boss's setup at once.
    database = await createTestDatabase();
    started.push(...(await Promise.all([startTestPlatform({}, database), startTestPlatform({}, database), startTestPlatform({}, database)])));
    for (const node of started) expect((await apiClient(node.url)('GET', '/ready')).status).toBe(200);
  });
});
