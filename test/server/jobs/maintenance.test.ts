import { QueryTypes } from 'sequelize';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyRetentionPolicies, createPartitionsAhead } from '@therapy-field/server';
import { signUp } from '../../support/accounts.js';
import { createAppointment } from '../../support/appointments.js';
import { apiClient } from '../../support/http.js';
import { startTestPlatform, type TestPlatform } from '../../support/platform.js';

let node: TestPlatform;

beforeAll(async () => {
  node = await startTestPlatform();
});
afterAll(async () => {
  await node?.close();
});

describe('partition maintenance', () => {
  it('with the clock past the last partition the migrations made, creates months ahead and rows land in their month, not the default', async () => {
    const sequelize = node.platform.database.owner;
    const partitionOf = async (performedAt: string) => {
      const [row] = await sequelize.query<{ partition: string }>(
        `INSERT INTO audit_logs (action, performed_at) VALUES ('test.partitions', :performedAt) RETURNING tableoid::regclass::text AS partition`,
        { replacements: { performedAt }, type: QueryTypes.SELECT },
      );
      return row!.partition;
    };
    // Before the job runs, June 2027 has no partition of its own.
    expect(await partitionOf('2027-06-20T10:00:00Z')).toBe('audit_logs_default');

    const created = await createPartitionsAhead(sequelize, new Date('2027-06-15T12:00:00Z'));
    expect(created).toEqual(expect.arrayContaining(['audit_logs_2027_06', 'mood_entries_2027_06', 'habit_logs_2027_06', 'audit_logs_2027_12', 'mood_entries_2027_12', 'habit_logs_2027_12']));
    // The June row waiting in the default partition moved into June's; new rows go there too.
    const [left] = await sequelize.query<{ count: number }>(`SELECT count(*)::int AS count FROM audit_logs_default WHERE action = 'test.partitions'`, { type: QueryTypes.SELECT });
    expect(left!.count).toBe(0);
    expect(await partitionOf('2027-06-21T10:00:00Z')).toBe('audit_logs_2027_06');
    expect(await partitionOf('2027-12-31T23:59:59Z')).toBe('audit_logs_2027_12');
    // A second run (another node, the next day) has nothing to do.
    expect(await createPartitionsAhead(sequelize, new Date('2027-06-16T12:00:00Z'))).toEqual([]);
  });

  it('runs on the job runner and shows its last run, duration and failures in /metrics', async () => {
    await node.platform.jobs.runNow('partitions-ahead');
    const metrics = await (await fetch(`${node.url}/metrics`)).text();
    expect(metrics).toMatch(/^tf_job_last_run_timestamp_seconds\{job="partitions-ahead"\} \d+/m);
    expect(metrics).toMatch(/^tf_job_last_run_duration_seconds\{job="partitions-ahead"\} [\d.e-]+$/m);
    expect(metrics).toMatch(/^tf_job_failures_total\{job="partitions-ahead"\} 0$/m);
  });

  it('refreshes the analytics views on the job runner', async () => {
    const sequelize = node.platform.database.owner;
    const api = apiClient(node.url);
    const [therapist, client] = await Promise.all([signUp(api, sequelize, 'therapist'), signUp(api, sequelize, 'client')]);
    await createAppointment(sequelize, { therapistId: therapist.id, clientId: client.id, startsInMinutes: 60 });
    const appointmentsInView = async () => {
      const rows = await sequelize.query<{ total: number }>('SELECT sum(total_appointments)::int AS total FROM therapist_analytics WHERE user_id = :id', {
        replacements: { id: therapist.id },
        type: QueryTypes.SELECT,
      });
      return rows[0]?.total ?? 0;
    };
    expect(await appointmentsInView()).toBe(0);
    await node.platform.jobs.runNow('analytics-views');
    expect(await appointmentsInView()).toBe(1);
  });
});

describe('data retention', () => {
  it('with the clock moved a year on, drops expired monthly partitions whole and expired rows, keeps the rest', async () => {
    const sequelize = node.platform.database.owner;
    const asOf = new Date('2028-02-15T12:00:00Z');
    const daysBefore = (days: number) => new Date(asOf.getTime() - days * 86_400_000).toISOString();
    await createPartitionsAhead(sequelize, new Date('2027-01-15T12:00:00Z'));
    await createPartitionsAhead(sequelize, new Date('2027-06-15T12:00:00Z'));
    const insert = (query: string, replacements: Record<string, unknown>) => sequelize.query(query, { replacements, type: QueryTypes.INSERT });
    await insert(`INSERT INTO audit_logs (action, performed_at) VALUES ('test.retention', '2027-01-10T10:00:00Z'), ('test.retention', '2027-12-10T10:00:00Z')`, {});
    await insert(
      `INSERT INTO email_queue (to_email, subject, body_text, template_name, dedupe_key, created_at) VALUES
         ('old@example.gr', 'x', 'x', 'test', 'retention:old', :old), ('new@example.gr', 'x', 'x', 'test', 'retention:new', :recent)`,
      { old: daysBefore(40), recent: daysBefore(5) },
    );

    const results = await applyRetentionPolicies(sequelize, asOf);

    const audit = results.find((result) => result.table === 'audit_logs')!;
    expect(audit.partitionsDropped).toContain('audit_logs_2027_01');
    expect(audit.partitionsDropped).not.toContain('audit_logs_2027_02');
    const kept = await sequelize.query<{ performed_at: Date }>(`SELECT performed_at FROM audit_logs WHERE action = 'test.retention'`, { type: QueryTypes.SELECT });
    expect(kept.map((row) => row.performed_at.toISOString())).toEqual(['2027-12-10T10:00:00.000Z']);
    const emails = await sequelize.query<{ dedupe_key: string }>(`SELECT dedupe_key FROM email_queue WHERE dedupe_key LIKE 'retention:%'`, { type: QueryTypes.SELECT });
    expect(emails.map((row) => row.dedupe_key)).toEqual(['retention:new']);
    expect(results.find((result) => result.table === 'email_queue')!.rows).toBeGreaterThanOrEqual(1);
  });

  it('runs daily on the job runner, visible in /metrics', async () => {
    await node.platform.jobs.runNow('data-retention');
    const metrics = await (await fetch(`${node.url}/metrics`)).text();
    expect(metrics).toMatch(/^tf_job_failures_total\{job="data-retention"\} 0$/m);
    expect(metrics).toMatch(/^tf_job_last_run_timestamp_seconds\{job="data-retention"\} \d+/m);
  });
});
