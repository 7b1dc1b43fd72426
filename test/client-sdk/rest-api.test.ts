import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError, type TherapyFieldClient } from '@therapy-field/client-sdk';
import { TEST_PASSWORD, tokenFromLatestEmail, uniqueEmail, unusedTotp } from '../support/accounts.js';
import { startTestPlatform, type TestPlatform } from '../support/platform.js';
import { restOnlyClient } from '../support/sdk.js';
import { sql } from '../support/scheduling.js';
import { waitFor } from '../support/wait.js';

/** Everything here goes through the SDK; the database is touched only to read the emailed token and to make the admin. */
describe('typed REST API through the SDK', () => {
  let node: TestPlatform;
  const opened: TherapyFieldClient<never>[] = [];
  let admin: TherapyFieldClient<never>;
  let therapist: TherapyFieldClient<never>;
  let maria: TherapyFieldClient<never>;
  let nikos: TherapyFieldClient<never>;
  let therapistId: string;
  let appointmentTypeId: string;
  let bookedId: string;

  /** An SDK client with no local collections and no socket: REST only. */
  async function newClient(): Promise<TherapyFieldClient<never>> {
    const client = await restOnlyClient(node.url);
    opened.push(client);
    return client;
  }

  /** Registers, verifies the emailed token and logs in, all with the SDK. */
  async function signedUp(role: 'client' | 'therapist', extra: { licenseNumber?: string } = {}) {
    const client = await newClient();
    const email = uniqueEmail(role);
    const names = { email, password: TEST_PASSWORD, firstName: 'Ελένη', lastName: 'Αντωνίου' };
    await client.auth.register(role === 'client' ? { role, ...names } : { role, ...names, licenseNumber: extra.licenseNumber ?? `LIC-${randomBytes(3).toString('hex')}` });
    const verified = await client.auth.verifyEmail(await tokenFromLatestEmail(node.platform.database.owner, email, 'email_verification'));
    expect(verified).toMatchObject({ email, role, emailVerified: true });
    await client.auth.login(email, TEST_PASSWORD);
    return { client, id: verified.id, email };
  }

  /** The SDK error a call rejects with. */
  async function rejection(call: Promise<unknown>): Promise<AppError> {
    const error = await call.then(
      () => undefined,
      (reason: unknown) => reason,
    );
    expect(error).toBeInstanceOf(AppError);
    return error as AppError;
  }

  const week = () => ({ from: new Date(Date.now() + 48 * 3600_000).toISOString(), to: new Date(Date.now() + 8 * 24 * 3600_000).toISOString() });

  beforeAll(async () => {
    node = await startTestPlatform();
    const superAdmin = await signedUp('client');
    await sql(node.platform, `UPDATE users SET role = 'super_admin' WHERE id = :id RETURNING id`, { id: superAdmin.id });
    admin = superAdmin.client;
    await admin.auth.login(superAdmin.email, TEST_PASSWORD);

    const signedUpTherapist = await signedUp('therapist');
    therapist = signedUpTherapist.client;
    therapistId = signedUpTherapist.id;
    maria = (await signedUp('client')).client;
    nikos = (await signedUp('client')).client;
  });

  afterAll(async () => {
    await Promise.all(opened.map((client) => client.close()));
    await node?.close();
  });

  it('lets a therapist set up hours and a rate for an appointment type, and an admin list them', async () => {
    const type = await admin.api.admin.addAppointmentType({ name: `Συνεδρία 50′ ${randomBytes(2).toString('hex')}`, durationMinutes: 50 });
    appointmentTypeId = type.id;
    expect(await maria.api.directory.appointmentTypes()).toContainEqual(type);

    const waiting = await admin.api.admin.therapistsAwaitingVerification();
    expect(waiting.therapists).toContainEqual(expect.objectContaining({ therapistId, firstName: 'Ελένη', lastName: 'Αντωνίου', licenseNumber: expect.stringMatching(/^LIC-/) }));
    expect((await rejection(therapist.api.admin.therapistsAwaitingVerification())).code).toBe('FORBIDDEN');
    expect(await admin.api.admin.verifyTherapist(therapistId)).toMatchObject({ therapistId });
    expect((await admin.api.admin.therapistsAwaitingVerification()).therapists.map((t) => t.therapistId)).not.toContain(therapistId);
    await therapist.api.directory.update(therapistId, {
      professionalTitle: 'Κλινική Ψυχολόγος',
      bio: 'Εργάζομαι με άγχος και κρίσεις πανικού.',
      settings: { minNoticeMinutes: 0, bufferMinutes: 10, bookingHorizonDays: 730 },
    });
    const located = await therapist.api.directory.addLocation(therapistId, { addressLine1: 'Πανεπιστημίου 10', city: 'Αθήνα', postalCode: '10671' });
    const withRate = await therapist.api.directory.addRate(therapistId, { appointmentTypeId, amount: 60, effectiveFrom: '2026-01-01' });
    expect(withRate.rates).toEqual([expect.objectContaining({ appointmentTypeId, amount: 60, currency: 'EUR' })]);

    const everyDay = [0, 1, 2, 3, 4, 5, 6].map((dayOfWeek) => ({ dayOfWeek, startTime: '00:00', endTime: '23:59' }));
    const availability = await therapist.api.availability.setTemplates(therapistId, everyDay);
    expect(availability.templates).toHaveLength(7);
    await therapist.api.availability.setException(therapistId, { date: '2099-12-24', reason: 'Παραμονή' });
    expect((await therapist.api.availability.get(therapistId)).exceptions).toEqual([expect.objectContaining({ date: '2099-12-24', isAvailable: false })]);
    await therapist.api.availability.deleteException(therapistId, '2099-12-24');
    expect((await therapist.api.availability.get(therapistId)).exceptions).toEqual([]);

    const mine = await therapist.api.directory.me();
    expect(mine).toMatchObject({ id: therapistId, isVerified: true, locations: [expect.objectContaining({ city: 'Αθήνα' })] });
    expect(mine.locations).toEqual(located.locations);
  });

  it('lets a client find the therapist (Greek, accents ignored), list slots and book one; the same slot again is SLOT_TAKEN', async () => {
    for (const q of ['αγχος', 'ΆΓΧΟΣ', 'Ψυχολογος']) {
      const { items } = await maria.api.directory.search({ q, online: true, limit: 5 });
      expect(items.map((item) => item.id), q).toContain(therapistId);
    }
    expect((await maria.api.directory.search({ q: 'καρδιολόγος' })).items.map((item) => item.id)).not.toContain(therapistId);
    expect(await maria.api.directory.get(therapistId)).toMatchObject({ id: therapistId, professionalTitle: 'Κλινική Ψυχολόγος' });

    const { timezone, slots } = await maria.api.slots(therapistId, { ...week(), type: appointmentTypeId, mode: 'online' });
    expect(timezone).toBe('Europe/Athens');
    expect(slots.length).toBeGreaterThan(1);
    const [slot] = slots;

    const booked = await maria.api.appointments.book({ therapistId, appointmentTypeId, start: slot!.start, clientNotes: 'Πρώτη συνεδρία' });
    expect(booked).toMatchObject({ therapistId, status: 'requested', scheduledStart: slot!.start, isOnline: true });
    bookedId = booked.id;

    const taken = await rejection(nikos.api.appointments.book({ therapistId, appointmentTypeId, start: slot!.start }));
    expect({ code: taken.code, status: taken.status }).toEqual({ code: 'SLOT_TAKEN', status: 409 });
    expect((await nikos.api.appointments.list()).map((appointment) => appointment.id)).not.toContain(bookedId);
  });

  it('lets the therapist confirm; both see the appointment; the client cancels with a reason', async () => {
    const confirmed = await therapist.api.appointments.confirm(bookedId);
    expect(confirmed.status).toBe('confirmed');
    await therapist.api.appointments.privateNotes.set(bookedId, { notes: 'Στόχος: διαχείριση άγχους.' });
    expect(await therapist.api.appointments.privateNotes.get(bookedId)).toEqual({ notes: 'Στόχος: διαχείριση άγχους.' });

    const feed = await therapist.api.calendarFeed.create();
    expect(feed.url).toContain(feed.token);
    expect(await therapist.api.calendarFeed.read(feed.token)).toContain('BEGIN:VCALENDAR');

    for (const party of [maria, therapist]) {
      const listed = await party.api.appointments.list({ status: 'confirmed' });
      expect(listed.map((appointment) => appointment.id)).toEqual([bookedId]);
    }
    expect(await maria.api.appointments.get(bookedId)).toMatchObject({ id: bookedId, status: 'confirmed' });
    expect((await rejection(nikos.api.appointments.get(bookedId))).code).toBe('NOT_FOUND');

    const cancelled = await maria.api.appointments.cancel(bookedId, { reason: 'Είμαι άρρωστη' });
    expect(cancelled).toMatchObject({ status: 'cancelled', cancellationReason: 'Είμαι άρρωστη' });
    expect((await therapist.api.appointments.list({ status: 'cancelled' })).map((appointment) => appointment.id)).toEqual([bookedId]);

    await therapist.api.calendarFeed.revoke();
    expect((await rejection(therapist.api.calendarFeed.read(feed.token))).status).toBe(404);
  });

  it('pages notifications, counts the unread and marks them read, one and all', async () => {
    // requested, confirmed and cancelled: one notification each for the client, and the intake
    // form her first booking with this therapist sent
    await waitFor(async () => (await maria.api.notifications.unreadCount()).count === 4, 10_000, 'four notifications for the client');
    const first = await maria.api.notifications.list({ limit: 2 });
    expect(first.notifications).toHaveLength(2);
    expect(first.nextCursor).not.toBeNull();
    const rest = await maria.api.notifications.list({ cursor: first.nextCursor!, limit: 2 });
    expect(rest.nextCursor).toBeNull();
    expect(rest.notifications.map((notification) => notification.type).sort()).toEqual(['appointment.requested', 'form.sent']);
    expect(first.notifications.map((notification) => notification.type)).toEqual(['appointment.cancelled', 'appointment.confirmed']);

    const read = await maria.api.notifications.markRead(first.notifications[0]!.id);
    expect(read).toMatchObject({ id: first.notifications[0]!.id, isRead: true });
    expect(await maria.api.notifications.unreadCount()).toEqual({ count: 3 });
    expect((await rejection(nikos.api.notifications.markRead(read.id))).code).toBe('NOT_FOUND');
    expect(await maria.api.notifications.markAllRead()).toEqual({ updated: 3 });
    expect(await maria.api.notifications.unreadCount()).toEqual({ count: 0 });
  });

  it('shows a super admin a company’s usage and refuses a client', async () => {
    const [company] = await sql<{ id: string }>(node.platform, `INSERT INTO business_accounts (company_name, plan_type, status) VALUES ('Ελληνικά Πετρέλαια ΑΕ', 'professional', 'active') RETURNING id`);
    const usage = await admin.api.business.usage(company!.id);
    expect(usage).toMatchObject({ businessId: company!.id, companyName: 'Ελληνικά Πετρέλαια ΑΕ', employees: { active: 0 }, sessions: null });
    expect((await rejection(maria.api.business.usage(company!.id))).status).toBe(403);
    // A super admin reads any company but administers none.
    expect(await admin.api.business.mine()).toEqual({ businesses: [] });
  });

  it('refuses a client a therapist-only call with 403 FORBIDDEN', async () => {
    // each call is made only when awaited, so no rejection is ever left without a handler
    const therapistOnly = [() => maria.api.calendarFeed.create(), () => maria.api.directory.me(), () => maria.api.availability.setTemplates(therapistId, [])];
    for (const call of therapistOnly) {
      const error = await rejection(call());
      expect({ code: error.code, status: error.status }).toEqual({ code: 'FORBIDDEN', status: 403 });
    }
  });

  it('runs an account through password reset, password change and two-factor login with client.auth', async () => {
    const { client, email } = await signedUp('client');
    // Registering a taken address answers like a new one (its owner is emailed instead).
    await client.auth.register({ role: 'client', email, password: TEST_PASSWORD, firstName: 'Άλλη', lastName: 'Χρήστρια' });

    await client.auth.forgotPassword(email);
    await client.auth.resetPassword(await tokenFromLatestEmail(node.platform.database.owner, email, 'password_reset'), 'reset passphrase 123');
    expect((await rejection(client.auth.login(email, TEST_PASSWORD))).code).toBe('INVALID_CREDENTIALS');
    await client.auth.login(email, 'reset passphrase 123');
    const before = client.auth.session!.refreshToken;
    const after = await client.auth.changePassword('reset passphrase 123', TEST_PASSWORD);
    expect(after.refreshToken).not.toBe(before);
    expect((await client.api.me.get()).email).toBe(email);
    await client.auth.login(email, TEST_PASSWORD);

    const { secret, otpauthUrl } = await client.auth.setupTwoFactor();
    expect(otpauthUrl).toMatch(/^otpauth:\/\/totp\//);
    const userId = (await client.api.me.get()).id;
    const code = () => unusedTotp(node.platform.database.owner, userId, secret);
    await client.auth.confirmTwoFactor(await code());
    expect((await client.api.me.get()).twoFactorEnabled).toBe(true);
    const challenge = await client.auth.login(email, TEST_PASSWORD);
    expect(challenge).toEqual({ twoFactorRequired: true, challengeToken: expect.any(String) });
    const session = await client.auth.verifyTwoFactor((challenge as { challengeToken: string }).challengeToken, await code());
    expect(session.role).toBe('client');
    await client.auth.disableTwoFactor(TEST_PASSWORD, await code());
    expect((await client.api.me.get()).twoFactorEnabled).toBe(false);
  });

  it('answers bad input with 400 VALIDATION_FAILED and details naming the field', async () => {
    const badId = await rejection(maria.api.directory.get('not-a-uuid'));
    expect({ code: badId.code, status: badId.status }).toEqual({ code: 'VALIDATION_FAILED', status: 400 });
    expect(badId.details).toEqual(expect.arrayContaining([expect.objectContaining({ path: 'id' })]));

    // the path parameter is encoded: "a/b" stays one segment and is refused as an id, not routed elsewhere
    expect((await rejection(maria.api.appointments.get('a/b'))).code).toBe('VALIDATION_FAILED');

    const badQuery = await rejection(maria.api.slots(therapistId, { ...week(), type: 'not-a-uuid' }));
    expect(badQuery.details).toEqual(expect.arrayContaining([expect.objectContaining({ path: 'type' })]));
  });

  it('exports the signed-in user’s data and erases a client with client.api.privacy; a therapist may not erase', async () => {
    const { client, id } = await signedUp('client');
    const exported = await client.api.privacy.export();
    expect(exported.data.user).toMatchObject({ id, role: 'client' });
    expect(exported.data.profile).toMatchObject({ first_name: 'Ελένη', last_name: 'Αντωνίου' });
    expect(JSON.stringify(exported)).not.toMatch(/password_hash|two_factor_secret/);

    expect((await rejection(therapist.api.privacy.erase({ password: TEST_PASSWORD }))).code).toBe('FORBIDDEN');
    expect((await rejection(client.api.privacy.erase({ password: 'not the password' }))).code).toBe('INVALID_CREDENTIALS');
    const tokens = client.auth.session!;
    await client.api.privacy.erase({ password: TEST_PASSWORD });
    expect(client.auth.session).toBeNull();
    const [user] = await sql<{ status: string }>(node.platform, 'SELECT status FROM users WHERE id = :id', { id });
    expect(user!.status).toBe('deleted');
    // A device still holding the old tokens is signed out for good.
    client.auth.resume(tokens);
    expect((await rejection(client.api.me.get())).code).toBe('TOKEN_INVALID');
  });
});
