import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient, type ApiRequest } from '../../support/http.js';
import { runServerCommand } from '../../support/node-process.js';
import { startTestPlatform, type TestPlatform } from '../../support/platform.js';

const command = 'server/src/admin/create-admin.cli.ts';

describe('npm run create-admin', () => {
  let node: TestPlatform;
  let api: ApiRequest;

  beforeAll(async () => {
    node = await startTestPlatform();
    api = apiClient(node.url);
  });
  afterAll(() => node?.close());

  it('creates a platform admin who can sign in and reach admin routes, with no SQL', async () => {
    const created = await runServerCommand(command, ['--email', 'root@clinic.gr', '--first-name', 'Ελένη', '--last-name', 'Διαχειρίστρια'], { DATABASE_URL: node.database.url, ADMIN_PASSWORD: 'a-long-admin-password' });
    expect(created.stderr).toBe('');
    expect(created.code).toBe(0);
    expect(created.stdout).toMatch(/platform admin root@clinic\.gr created/);

    const login = await api('POST', '/auth/login', { body: { email: 'root@clinic.gr', password: 'a-long-admin-password' } });
    expect(login.status).toBe(200);
    const me = await api('GET', '/me', { token: login.body.accessToken });
    expect(me.body).toMatchObject({ role: 'super_admin', profile: { firstName: 'Ελένη' } });
    const suspendNobody = await api('POST', `/admin/users/${randomUUID()}/suspend`, { token: login.body.accessToken, body: { reason: 'test' } });
    expect(suspendNobody.status).toBe(404);
  });

  it('reads the password from the prompt when ADMIN_PASSWORD is not set', async () => {
    const created = await runServerCommand(command, ['--email', 'second@clinic.gr'], { DATABASE_URL: node.database.url }, 'typed-at-the-prompt\n');
    expect(created.code).toBe(0);
    expect((await api('POST', '/auth/login', { body: { email: 'second@clinic.gr', password: 'typed-at-the-prompt' } })).status).toBe(200);
  });

  it('refuses a taken address and a short password with one line, no stack trace, and changes nothing', async () => {
    const taken = await runServerCommand(command, ['--email', 'ROOT@clinic.gr'], { DATABASE_URL: node.database.url, ADMIN_PASSWORD: 'another-long-password' });
    expect(taken.code).toBe(1);
    expect(taken.stderr.trim()).toBe('create-admin: ROOT@clinic.gr already has an account; choose another address');
    expect((await api('POST', '/auth/login', { body: { email: 'root@clinic.gr', password: 'a-long-admin-password' } })).status).toBe(200);

    const short = await runServerCommand(command, ['--email', 'third@clinic.gr'], { DATABASE_URL: node.database.url, ADMIN_PASSWORD: 'short' });
    expect(short.code).toBe(1);
    expect(short.stderr.trim()).toMatch(/^create-admin: password: at least 10 characters$/);
    expect((await api('POST', '/auth/login', { body: { email: 'third@clinic.gr', password: 'short' } })).status).toBe(401);
  });
});
