import { QueryTypes } from 'sequelize';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_PASSWORD, uniqueEmail } from '../../support/accounts.js';
import { RecordingTransport } from '../../support/delivery.js';
import { apiClient } from '../../support/http.js';
import { startTestPlatform, type TestPlatform } from '../../support/platform.js';
import { waitFor } from '../../support/wait.js';

const transport = new RecordingTransport();
let node: TestPlatform;

beforeAll(async () => {
  node = await startTestPlatform({ JOBS_POLL_INTERVAL_SECONDS: '0.5' }, undefined, { emailTransport: transport, smsTransport: transport });
});
afterAll(() => node?.close());

describe('a sent email in the queue', () => {
  it('keeps no link or token once it is out: body and data are cleared, subject and recipient stay', async () => {
    const email = uniqueEmail();
    const registered = await apiClient(node.url)('POST', '/auth/register', { body: { role: 'client', email, password: TEST_PASSWORD, firstName: 'Ελένη', lastName: 'Κ.' } });
    expect(registered.status).toBe(202);
    await waitFor(() => transport.emails.some((sent) => sent.to === email), 10_000, 'the verification email sent');
    const sent = transport.emails.find((candidate) => candidate.to === email)!;
    const token = sent.text.match(/token=([A-Za-z0-9_-]+)/)![1]!;

    const select = () =>
      node.platform.database.owner.query<{ status: string; subject: string; to_email: string; body_text: string | null; body_html: string | null; payload: unknown; template_data: unknown; row: string }>(
        `SELECT status, subject, to_email, body_text, body_html, payload, template_data, q::text AS row FROM email_queue q WHERE id = :id`,
        { type: QueryTypes.SELECT, replacements: { id: sent.id } },
      );
    await waitFor(async () => (await select())[0]?.status === 'sent', 10_000, 'the row marked sent');
    const [row] = await select();
    expect(row).toMatchObject({ status: 'sent', subject: 'Επιβεβαίωση email στο Therapy Field', to_email: email, body_text: null, body_html: null, payload: {}, template_data: {} });
    expect(row!.row).not.toContain(token);
  });
});
