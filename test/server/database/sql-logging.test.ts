import { createHash } from 'node:crypto';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Platform } from '@therapy-field/server';
import { signUp, TEST_PASSWORD, tokenFromLatestEmail } from '../../support/accounts.js';
import { createTestDatabase, type TestDatabase } from '../../support/database.js';
import { RecordingTransport } from '../../support/delivery.js';
import { apiClient } from '../../support/http.js';
import { testConfig } from '../../support/platform.js';

let database: TestDatabase;
let platform: Platform;
const lines: string[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
  const config = testConfig({ DATABASE_URL: database.url, LOG_LEVEL: 'trace' });
  platform = await Platform.create(config, pino({ level: 'trace' }, { write: (line: string) => void lines.push(line) }), { emailTransport: new RecordingTransport() });
});
afterAll(async () => {
  await platform?.close();
  await database?.drop();
});

describe('SQL in the logs', () => {
  it('shows the kind of each statement at trace level, never its values (tokens, hashes, emails)', async () => {
    const api = apiClient(await platform.listen());
    const user = await signUp(api, platform.database.owner);
    expect((await api('POST', '/auth/password/forgot', { body: { email: user.email } })).status).toBe(202);
    const token = await tokenFromLatestEmail(platform.database.owner, user.email, 'password_reset');
    expect((await api('POST', '/auth/password/reset', { body: { token, newPassword: `${TEST_PASSWORD} 2` } })).status).toBe(204);

    const sqlLines = lines.map((line) => JSON.parse(line) as { module?: string; statement?: string; level: number }).filter((line) => line.module === 'sql');
    expect(sqlLines.length).toBeGreaterThan(10);
    expect(sqlLines.map((line) => line.statement)).toEqual(expect.arrayContaining(['SELECT', 'INSERT', 'UPDATE']));
    expect(sqlLines.every((line) => line.level === 10)).toBe(true);
    const everything = lines.join('\n');
    for (const secret of [token, createHash('sha256').update(token).digest('hex'), '$argon2id$']) expect(everything).not.toContain(secret);
  });
});
