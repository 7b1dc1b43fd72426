import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError, NetworkError, TimeoutError, type TherapyFieldClient } from '@therapy-field/client-sdk';
import { signUp, TEST_PASSWORD } from '../support/accounts.js';
import { freePort } from '../support/free-port.js';
import { apiClient } from '../support/http.js';
import { startTestPlatform, type TestPlatform } from '../support/platform.js';
import { restOnlyClient } from '../support/sdk.js';

let node: TestPlatform;
const opened: TherapyFieldClient<never>[] = [];

beforeAll(async () => {
  node = await startTestPlatform();
});
afterAll(async () => {
  await Promise.all(opened.map((client) => client.close()));
  await node?.close();
});

async function client(url: string, options: { httpTimeoutMs?: number } = {}): Promise<TherapyFieldClient<never>> {
  const opening = await restOnlyClient(url, options);
  opened.push(opening);
  return opening;
}

async function rejection(call: Promise<unknown>): Promise<unknown> {
  return call.then(
    () => expect.unreachable('the call succeeded'),
    (reason: unknown) => reason,
  );
}

describe('SDK calls derived from the route table', () => {
  it('reach the server’s routes by operationId and by name, with path parameters, queries and bodies', async () => {
    const user = await signUp(apiClient(node.url), node.platform.database.owner);
    const maria = await client(node.url);
    await maria.auth.login(user.email, TEST_PASSWORD);
    expect(await maria.api.messages.conversations()).toEqual({ conversations: [] });
    expect(await maria.api.call('listConversations', {})).toEqual({ conversations: [] });
    // Nobody in care with Maria: the path, parameter and body got there and were judged.
    const stranger = randomUUID();
    const forbidden = await rejection(maria.api.messages.send(stranger, { body: 'Γεια σας' }));
    expect(forbidden).toBeInstanceOf(AppError);
    expect((forbidden as AppError).code).toBe('FORBIDDEN');
    const blank = await rejection(maria.api.call('sendMessage', { params: { peerId: stranger }, body: { body: '   ' } }));
    expect((blank as AppError).code).toBe('VALIDATION_FAILED');
    expect((blank as AppError).details).toEqual([{ path: 'body', message: 'must not be blank' }]);
    const badLimit = await rejection(maria.api.messages.list(stranger, { limit: 500 }));
    expect(badLimit).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ path: 'limit' }] });
  });
});

describe('SDK transport errors', () => {
  it('rejects with a NetworkError when nothing answers', async () => {
    const offline = await client(`http://127.0.0.1:${await freePort()}`);
    const error = await rejection(offline.api.directory.specializations());
    expect(error).toBeInstanceOf(NetworkError);
    expect((error as NetworkError).code).toBe('NETWORK_ERROR');
    expect((error as NetworkError).cause).toBeDefined();
  });

  it('rejects with a TimeoutError when the server does not answer within httpTimeoutMs', async () => {
    // A server that takes requests and never answers them (a hung upstream).
    const held: Array<() => void> = [];
    const silent: Server = createServer((_request, response) => held.push(() => response.end()));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const waiting = await client(`http://127.0.0.1:${(silent.address() as AddressInfo).port}`, { httpTimeoutMs: 300 });
      const error = await rejection(waiting.api.directory.specializations());
      expect(error).toBeInstanceOf(TimeoutError);
      expect(error).toMatchObject({ code: 'TIMEOUT', timeoutMs: 300 });
      // A timeout the answer comes within changes nothing.
      expect(await (await client(node.url, { httpTimeoutMs: 30_000 })).api.directory.specializations()).toEqual(expect.any(Array));
    } finally {
      held.forEach((answer) => answer());
      silent.closeAllConnections();
      await new Promise((resolve) => silent.close(resolve));
    }
  });
});
