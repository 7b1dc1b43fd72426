import { randomBytes, randomUUID } from 'node:crypto';
import { QueryTypes } from 'sequelize';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditLog, rotateEncryptionKeys, sealedTables } from '@therapy-field/server';
import { signUp } from '../support/accounts.js';
import { apiClient, type ApiRequest } from '../support/http.js';
import { startTestPlatform, type TestPlatform } from '../support/platform.js';
import { confirmAppointment, habitDefinition, journalEntry, moodEntry, syncOverHttp } from './sync-fixtures.js';

/**
 * What a person writes about themselves is sealed at rest like the text it labels (migration 0651):
 * journal titles and tags, mood emotions and activities, goal titles, descriptions and milestones,
 * habit names and descriptions. Devices still see plaintext.
 */
describe('sealed wellness labels', () => {
  let node: TestPlatform;
  let api: ApiRequest;
  const sync = syncOverHttp(() => api);
  const sequelize = () => node.platform.database.owner;
  const query = <T extends object>(sql: string, replacements: Record<string, unknown> = {}) => sequelize().query<T>(sql, { type: QueryTypes.SELECT, replacements });
  const secret = (what: string) => `${what}-${randomBytes(5).toString('hex')}`;
  const labelledTables = ['journal_entries', 'mood_entries', 'goals', 'habit_definitions'];

  beforeAll(async () => {
    node = await startTestPlatform();
    api = apiClient(node.url);
  });
  afterAll(async () => {
    await node?.close();
  });

  /** Tables (and audit_logs) whose stored row text contains any of `texts`. */
  async function tablesHolding(texts: string[]): Promise<string[]> {
    const found: string[] = [];
    for (const table of [...labelledTables, 'audit_logs', 'change_log']) {
      const [row] = await query<{ n: string }>(`SELECT count(*) AS n FROM ${table} t WHERE EXISTS (SELECT 1 FROM unnest(ARRAY[:texts]::text[]) x WHERE strpos(t::text, x) > 0)`, { texts });
      if (Number(row!.n) > 0) found.push(table);
    }
    return found;
  }

  const docsById = async (token: string, collection: string) =>
    new Map(((await sync.pull(token, collection)).body.documents as Array<Record<string, unknown>>).map((doc) => [doc.id as string, doc]));

  it('a push stores no plaintext label; the client and the therapist it is shared with read them back', async () => {
    const client = await signUp(api, sequelize());
    const therapist = await signUp(api, sequelize(), 'therapist');
    await confirmAppointment(sequelize(), client.id, therapist.id);
    const texts = {
      title: secret('Ο γάμος μου'), tag: secret('διαζύγιο'), emotion: secret('ντροπή'), activity: secret('ποτό'),
      goalTitle: secret('Να κόψω το ποτό'), goalDescription: secret('χωρίς να το μάθει'), milestone: secret('ένας μήνας'),
      habitName: secret('Αντιψυχωσικό'), habitDescription: secret('πρωί και βράδυ'),
    };
    const journal = journalEntry({ title: texts.title, tags: [texts.tag, 'work'], sharedWithTherapist: true });
    const mood = moodEntry({ emotions: [texts.emotion], activities: [texts.activity], sharedWithTherapist: true });
    const goal = {
      id: randomUUID(), title: texts.goalTitle, description: texts.goalDescription, currentProgress: 0,
      milestones: [{ title: texts.milestone, done: false }], isCompleted: false, sharedWithTherapist: true, _deleted: false,
    };
    const habit = habitDefinition({ name: texts.habitName, description: texts.habitDescription });
    for (const [collection, doc] of [['journal_entries', journal], ['mood_entries', mood], ['goals', goal], ['habit_definitions', habit]] as const) {
      const pushed = await sync.push(client.accessToken, collection, [{ newDocumentState: doc }]);
      expect(pushed.body, collection).toEqual({ conflicts: [], rejected: [] });
    }

    expect(await tablesHolding(Object.values(texts))).toEqual([]);
    const [sealedJournal] = await query<{ title: Buffer; tags: Buffer; encryption_key_id: string }>('SELECT title, tags, encryption_key_id FROM journal_entries WHERE id = :id', { id: journal.id });
    expect(sealedJournal!.encryption_key_id).toBe(node.platform.cipher.currentKeyId);
    expect(node.platform.cipher.decrypt(sealedJournal!.title)).toBe(texts.title);

    for (const [token, who] of [[client.accessToken, 'client'], [therapist.accessToken, 'therapist']] as const) {
      expect((await docsById(token, 'journal_entries')).get(journal.id), who).toMatchObject({ title: texts.title, tags: [texts.tag, 'work'], _deleted: false });
      expect((await docsById(token, 'mood_entries')).get(mood.id), who).toMatchObject({ emotions: [texts.emotion], activities: [texts.activity], _deleted: false });
      expect((await docsById(token, 'goals')).get(goal.id), who).toMatchObject({ title: texts.goalTitle, description: texts.goalDescription, milestones: goal.milestones, _deleted: false });
    }
    expect((await docsById(client.accessToken, 'habit_definitions')).get(habit.id)).toMatchObject({ name: texts.habitName, description: texts.habitDescription });
    // Reading sealed labels is audited like reading sealed text.
    expect(await query(`SELECT 1 FROM audit_logs WHERE action = 'goal.read' AND entity_id = :id AND user_id = :therapist`, { id: goal.id, therapist: therapist.id })).not.toHaveLength(0);
  });

  it('labels written before 0651 are read from their plaintext until rotate-keys seals them, then read the same', async () => {
    const client = await signUp(api, sequelize());
    const legacy = { title: secret('παλιός τίτλος'), tag: secret('παλιά ετικέτα'), emotion: secret('παλιό συναίσθημα'), goal: secret('παλιός στόχος'), milestone: secret('παλιό ορόσημο'), habit: secret('παλιά συνήθεια') };
    const ids = { journal: randomUUID(), mood: randomUUID(), goal: randomUUID(), habit: randomUUID() };
    await query(`INSERT INTO journal_entries (id, user_id, title_plaintext, tags_plaintext, content) VALUES (:id, :client, :title, ARRAY[:tag], :content) RETURNING id`, {
      id: ids.journal, client: client.id, title: legacy.title, tag: legacy.tag, content: node.platform.cipher.encrypt('κείμενο'),
    });
    await query(`INSERT INTO mood_entries (id, user_id, recorded_at, mood_score, emotions_plaintext) VALUES (:id, :client, now() - interval '1 hour', 5, ARRAY[:emotion]) RETURNING id`, { id: ids.mood, client: client.id, emotion: legacy.emotion });
    await query(`INSERT INTO goals (id, user_id, title_plaintext, milestones_plaintext) VALUES (:id, :client, :title, :milestones::jsonb) RETURNING id`, {
      id: ids.goal, client: client.id, title: legacy.goal, milestones: JSON.stringify([{ title: legacy.milestone, done: true }]),
    });
    await query(`INSERT INTO habit_definitions (id, user_id, name_plaintext) VALUES (:id, :client, :name) RETURNING id`, { id: ids.habit, client: client.id, name: legacy.habit });

    const expectReadable = async () => {
      expect((await docsById(client.accessToken, 'journal_entries')).get(ids.journal)).toMatchObject({ title: legacy.title, tags: [legacy.tag], content: 'κείμενο' });
      expect((await docsById(client.accessToken, 'mood_entries')).get(ids.mood)).toMatchObject({ emotions: [legacy.emotion] });
      expect((await docsById(client.accessToken, 'goals')).get(ids.goal)).toMatchObject({ title: legacy.goal, milestones: [{ title: legacy.milestone, done: true }] });
      expect((await docsById(client.accessToken, 'habit_definitions')).get(ids.habit)).toMatchObject({ name: legacy.habit });
    };
    await expectReadable();
    expect(await tablesHolding(Object.values(legacy))).toEqual(['journal_entries', 'mood_entries', 'goals', 'habit_definitions']);

    const tables = sealedTables.filter((sealedTable) => labelledTables.includes(sealedTable.table));
    const reports = await rotateEncryptionKeys({ sequelize: sequelize(), cipher: node.platform.cipher, audit: new AuditLog(sequelize()) }, { tables });
    expect(reports.every((report) => report.remaining === 0)).toBe(true);

    expect(await tablesHolding(Object.values(legacy))).toEqual([]);
    await expectReadable();
    const second = await rotateEncryptionKeys({ sequelize: sequelize(), cipher: node.platform.cipher, audit: new AuditLog(sequelize()) }, { tables });
    expect(second.map((report) => report.rotated)).toEqual(tables.map(() => 0));
  });
});
