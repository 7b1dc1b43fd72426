import { randomBytes } from 'node:crypto';
import { expect } from 'vitest';
import type { Platform } from '@therapy-field/server';
import type { ApiRequest } from './http.js';
import { sql, type Account } from './scheduling.js';

let minutesTaken = 0;

/** An appointment type through the API (a super admin's catalogue). */
export async function createBillingType(api: ApiRequest, admin: Account, name: string, requiresPaymentUpfront = false): Promise<string> {
  const created = await api('POST', '/appointment-types', {
    token: admin.token,
    body: { name: `${name} ${randomBytes(2).toString('hex')}`, durationMinutes: 50, requiresPaymentUpfront },
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return created.body.id;
}

/** A therapist's rate through the directory API (amounts in euros there, as the directory takes them). */
export async function addRate(api: ApiRequest, therapist: Account, rate: Record<string, unknown>): Promise<void> {
  const added = await api('POST', `/therapists/${therapist.id}/rates`, { token: therapist.token, body: rate });
  expect(added.status, JSON.stringify(added.body)).toBeLessThan(300);
}

/**
 * A confirmed appointment that has started (so it can be completed), written straight into the
 * database: its price is frozen by the database as a booking's is. Each gets its own past hour.
 */
export async function startedAppointment(platform: Platform, therapistId: string, clientId: string, typeId: string, status = 'confirmed'): Promise<string> {
  minutesTaken += 60;
  const start = new Date(Date.now() - (10 * 24 * 60 - minutesTaken) * 60_000);
  const [row] = await sql<{ id: string }>(
    platform,
    `INSERT INTO appointments (therapist_id, client_id, appointment_type_id, scheduled_start, scheduled_end, status, is_online)
     VALUES (:therapistId, :clientId, :typeId, :start, :end, CAST(:status AS appointment_status), true) RETURNING id`,
    { therapistId, clientId, typeId, start, end: new Date(start.getTime() + 50 * 60_000), status },
  );
  return row!.id;
}
