import { randomUUID } from 'node:crypto';
import { QueryTypes, type Sequelize, type Transaction } from 'sequelize';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ChangeFeed, createLogger, Database, type SequencedChange } from '@therapy-field/server';
import { createTestDatabase, type TestDatabase } from '../../support/database.js';
import { waitFor } from '../../support/wait.js';
import { testDatabaseRoles } from '../../support/database-roles.js';

const logger = createLogger('silent');
let testDatabase: TestDatabase;
let database: Database;
let sequelize: Sequelize;
const feeds: ChangeFeed[] = [];

beforeAll(async () => {
  testDatabase = await createTestDatabase();
  database = await Database.create({ databaseUrl: testDatabase.url, dataDir: '.', embeddedPostgresPort: 0, databaseRoles: testDatabaseRoles }, logger);
  sequelize = database.owner;
});
afterEach(async () => {
  await Promise.all(feeds.splice(0).map((feed) => feed.close()));
});
afterAll(async () => {
  await database?.close();
  await testDatabase?.drop();
});

async function openFeed(pollIntervalMs = 200): Promise<ChangeFeed> {
  const feed = await ChangeFeed.create({ sequelize, databaseUrl: testDatabase.url, logger, pollIntervalMs });
  feeds.push(feed);
  return feed;
}

async function newUser(): Promise<string> {
  const id = randomUUID();
  await sequelize.query(`INSERT INTO users (id, email, email_normalized, password_hash, role) VALUES (:id, :email, :email, 'x', 'client')`, {
    replacements: { id, email: `${id}@example.gr` },
  });
  return id;
}

function notify(userId: string, message: string, transaction?: Transaction): Promise<unknown> {
  return sequelize.query(`INSERT INTO notifications (user_id, type, message) VALUES (:userId, 'test', :message)`, {
    replacements: { userId, message },
    transaction,
  });
}

describe('change feed', () => {
  it('never skips a change that commits after a later one was already read', async () => {
    const feed = await openFeed(60_000);
    const user = await newUser();

    const early = await sequelize.transaction();
    await notify(user, 'taken early, committed late', early);
    await notify(user, 'committed first');
    await feed.sequenceNow();

    const first = await feed.changesSince(user, 0);
    expect(first.changes.map((change) => change.seq)).toEqual([1]);
    const checkpoint = first.changes.at(-1)!.seq;

    await early.commit();
    await feed.sequenceNow();
    const second = await feed.changesSince(user, checkpoint);
    expect(second.changes.map((change) => change.seq)).toEqual([2]);
    const [late] = await sequelize.query<{ id: string }>(`SELECT id FROM notifications WHERE message = 'taken early, committed late'`, { type: QueryTypes.SELECT });
    expect(second.changes[0]!.recordId).toBe(late!.id);
  });

  it('numbers each recipient 1, 2, 3… without gaps under concurrent writers', async () => {
    const feed = await openFeed(60_000);
    const [alice, bob] = [await newUser(), await newUser()];
    await Promise.all(
      Array.from({ length: 20 }, (_, index) =>
        sequelize.transaction(async (transaction) => {
          await notify(alice, `a${index}`, transaction);
          await notify(bob, `b${index}`, transaction);
        }),
      ),
    );
    await feed.sequenceNow();
    for (const user of [alice, bob]) {
      const { changes, lastSeq } = await feed.changesSince(user, 0);
      expect(changes.map((change) => change.seq)).toEqual(Array.from({ length: 20 }, (_, index) => index + 1));
      expect(lastSeq).toBe(20);
    }
  });

  it('delivers each change once although two nodes run a feed', async () => {
    const delivered: SequencedChange[] = [];
    const [nodeA, nodeB] = [await openFeed(), await openFeed()];
    nodeA.deliverTo(async (changes) => void delivered.push(...changes));
    nodeB.deliverTo(async (changes) => void delivered.push(...changes));
    const user = await newUser();
    await waitFor(async () => (await nodeA.changesSince(user, 0)).lastSeq === 0);
    await Promise.all(Array.from({ length: 50 }, (_, index) => notify(user, `n${index}`)));

    await waitFor(() => delivered.filter((change) => change.recipientId === user).length >= 50);
    const seqs = delivered.filter((change) => change.recipientId === user).map((change) => change.seq);
    expect(seqs.sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, index) => index + 1));
  });

  it('catches up after its LISTEN connection is killed', async () => {
    const delivered: SequencedChange[] = [];
    const feed = await openFeed(60_000);
    feed.deliverTo(async (changes) => void delivered.push(...changes));
    await sequelize.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query ILIKE 'LISTEN change_log%' AND datname = current_database()`);
    const user = await newUser();
    await notify(user, 'while the listener was down');
    await waitFor(() => delivered.some((change) => change.recipientId === user));
  });

  it('asks a client older than the retention to resync', async () => {
    const feed = await openFeed(60_000);
    const user = await newUser();
    await notify(user, 'old');
    await notify(user, 'old too');
    await feed.sequenceNow();
    await sequelize.query(`UPDATE change_log SET created_at = now() - interval '40 days' WHERE recipient_id = :user`, { replacements: { user } });
    await notify(user, 'recent');
    await feed.sequenceNow();
    await feed.pruneOlderThan(30);

    expect(await feed.changesSince(user, 0)).toMatchObject({ resync: true, changes: [] });
    const current = await feed.changesSince(user, 2);
    expect(current.resync).toBe(false);
    expect(current.changes.map((change) => change.seq)).toEqual([3]);
  });
});
