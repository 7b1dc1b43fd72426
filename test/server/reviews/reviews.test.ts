import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError, type TherapyFieldClient } from '@therapy-field/client-sdk';
import { signUp, TEST_PASSWORD } from '../../support/accounts.js';
import { createAppointment } from '../../support/appointments.js';
import { pastAppointments } from '../../support/clinical.js';
import { apiClient, type ApiRequest } from '../../support/http.js';
import { startTestPlatform, type TestPlatform } from '../../support/platform.js';
import { createAccounts, createListedTherapist, sql, type Account } from '../../support/scheduling.js';
import { restOnlyClient } from '../../support/sdk.js';
import { waitFor } from '../../support/wait.js';

/** signUp's client is "Μαρία Παπαδοπούλου". */
const AUTHOR = 'Μαρία Π.';

describe('reviews of therapists', () => {
  let node: TestPlatform;
  let api: ApiRequest;
  let admin: Account;
  let pastAppointment: ReturnType<typeof pastAppointments>;
  const opened: TherapyFieldClient<never>[] = [];

  const newClient = async () => {
    const signedUp = await signUp(api, node.platform.database.owner, 'client');
    return { id: signedUp.id, token: signedUp.accessToken, email: signedUp.email };
  };
  const write = (who: Account, appointmentId: string, body: unknown) => api('POST', `/appointments/${appointmentId}/review`, { token: who.token, body });
  const publicReviews = (therapistId: string, query = '') => api('GET', `/therapists/${therapistId}/reviews${query}`);
  const approve = (id: string) => api('POST', `/admin/reviews/${id}/approve`, { token: admin.token });
  const directoryEntry = async (therapistId: string) => {
    const found = await api('GET', '/therapists?limit=100');
    expect(found.status).toBe(200);
    return (found.body.items as Array<{ id: string; rating: number | null; reviewCount: number }>).find((item) => item.id === therapistId);
  };
  /** A written and approved review; answers its id. */
  const approvedReview = async (therapist: Account, client: Account, body: Record<string, unknown>) => {
    const written = await write(client, await pastAppointment(therapist.id, client.id), body);
    expect(written.status, JSON.stringify(written.body)).toBe(201);
    expect((await approve(written.body.id)).status).toBe(200);
    return written.body.id as string;
  };

  beforeAll(async () => {
    node = await startTestPlatform();
    api = apiClient(node.url);
    pastAppointment = pastAppointments(node);
    [admin] = (await createAccounts(node.platform, 'super_admin', 1)) as [Account];
  });

  afterAll(async () => {
    await Promise.all(opened.map((client) => client.close()));
    await node?.close();
  });

  it('a review waits, unseen, until approved; then it is public, counts in the directory and the therapist is told without the author', async () => {
    const therapist = await createListedTherapist(api, node.platform, admin);
    expect((await api('PATCH', '/me', { token: therapist.token, body: { language: 'en' } })).status).toBe(200);
    const client = await newClient();
    const appointmentId = await pastAppointment(therapist.id, client.id);

    const written = await write(client, appointmentId, { rating: 4, comment: '  Πολύ καλή συνεργασία.  ' });
    expect(written.status, JSON.stringify(written.body)).toBe(201);
    expect(written.body).toEqual({
      id: expect.any(String), appointmentId, therapistId: therapist.id, rating: 4, comment: 'Πολύ καλή συνεργασία.', anonymous: false,
      status: 'pending', createdAt: expect.any(String), moderatedAt: null, moderationReason: null,
    });
    expect((await publicReviews(therapist.id)).body).toEqual({ reviews: [], nextCursor: null });
    expect(await directoryEntry(therapist.id)).toMatchObject({ rating: null, reviewCount: 0 });
    const queue = await api('GET', '/admin/reviews?status=pending&limit=100', { token: admin.token });
    expect(queue.status).toBe(200);
    expect(queue.body.reviews.map((review: { id: string }) => review.id)).toContain(written.body.id);

    const approved = await approve(written.body.id);
    expect(approved.status, JSON.stringify(approved.body)).toBe(200);
    expect(approved.body).toMatchObject({ id: written.body.id, status: 'approved', moderatedAt: expect.any(String), moderationReason: null });
    const [stored] = await sql<{ moderated_by: string }>(node.platform, 'SELECT moderated_by FROM reviews WHERE id = :id', { id: written.body.id });
    expect(stored!.moderated_by).toBe(admin.id);
    const [audited] = await sql<{ user_id: string }>(node.platform, `SELECT user_id FROM audit_logs WHERE action = 'review.approved' AND entity_id = :id`, { id: written.body.id });
    expect(audited!.user_id).toBe(admin.id);

    const listed = await publicReviews(therapist.id);
    expect(listed.status).toBe(200);
    expect(listed.body).toEqual({
      reviews: [{ id: written.body.id, rating: 4, comment: 'Πολύ καλή συνεργασία.', author: AUTHOR, anonymous: false, createdAt: written.body.createdAt }],
      nextCursor: null,
    });
    const text = JSON.stringify(listed.body);
    for (const secret of [client.id, client.email, appointmentId, 'Παπαδοπούλου']) expect(text).not.toContain(secret);
    expect(await directoryEntry(therapist.id)).toMatchObject({ rating: 4, reviewCount: 1 });

    let notification: { type: string; title: string; message: string; data: Record<string, unknown> } | undefined;
    await waitFor(async () => {
      const { body } = await api('GET', '/notifications', { token: therapist.token });
      notification = body.notifications.find((item: { type: string }) => item.type === 'review.approved');
      return notification !== undefined;
    }, 10_000, 'the review.approved notification');
    expect(notification).toMatchObject({ title: 'New review', message: expect.stringContaining('4/5'), data: { reviewId: written.body.id, rating: 4 } });
    for (const secret of [client.id, 'Μαρία', 'Παπαδοπούλου', 'συνεργασία']) expect(JSON.stringify(notification)).not.toContain(secret);

    const again = await approve(written.body.id);
    expect(again.status).toBe(409);
    expect(again.body.error).toMatchObject({ code: 'REVIEW_ALREADY_MODERATED', details: { status: 'approved' } });
  });

  it('a rejected review is never public, keeps its reason and cannot be approved later', async () => {
    const therapist = await createListedTherapist(api, node.platform, admin);
    const client = await newClient();
    const written = await write(client, await pastAppointment(therapist.id, client.id), { rating: 1, comment: 'Ο κ. Χ. από την αίθουσα αναμονής…' });
    expect(written.status).toBe(201);

    const rejected = await api('POST', `/admin/reviews/${written.body.id}/reject`, { token: admin.token, body: { reason: 'Names another client' } });
    expect(rejected.status, JSON.stringify(rejected.body)).toBe(200);
    expect(rejected.body).toMatchObject({ status: 'rejected', moderationReason: 'Names another client', moderatedAt: expect.any(String) });
    const [stored] = await sql<{ moderated_by: string; moderation_reason: string }>(node.platform, 'SELECT moderated_by, moderation_reason FROM reviews WHERE id = :id', { id: written.body.id });
    expect(stored).toEqual({ moderated_by: admin.id, moderation_reason: 'Names another client' });

    const late = await approve(written.body.id);
    expect(late.status).toBe(409);
    expect(late.body.error).toMatchObject({ code: 'REVIEW_ALREADY_MODERATED', details: { status: 'rejected' } });
    expect((await publicReviews(therapist.id)).body.reviews).toEqual([]);
    expect(await directoryEntry(therapist.id)).toMatchObject({ rating: null, reviewCount: 0 });
    const pending = await api('GET', '/admin/reviews?limit=100', { token: admin.token });
    expect(pending.body.reviews.map((review: { id: string }) => review.id)).not.toContain(written.body.id);
    const rejectedQueue = await api('GET', '/admin/reviews?status=rejected&limit=100', { token: admin.token });
    expect(rejectedQueue.body.reviews.map((review: { id: string }) => review.id)).toContain(written.body.id);
  });

  it('a published review can be taken down: it leaves the public list and the rating; only a published one', async () => {
    const therapist = await createListedTherapist(api, node.platform, admin);
    const client = await newClient();
    const id = await approvedReview(therapist, client, { rating: 2, comment: 'Αναφέρει τη διάγνωσή μου' });
    expect(await directoryEntry(therapist.id)).toMatchObject({ rating: 2, reviewCount: 1 });
    const hide = (reviewId: string) => api('POST', `/admin/reviews/${reviewId}/hide`, { token: admin.token, body: { reason: 'Reveals health details of the author' } });

    const hidden = await hide(id);
    expect(hidden.status, JSON.stringify(hidden.body)).toBe(200);
    expect(hidden.body).toMatchObject({ status: 'hidden', moderationReason: 'Reveals health details of the author' });
    expect((await publicReviews(therapist.id)).body.reviews).toEqual([]);
    expect(await directoryEntry(therapist.id)).toMatchObject({ rating: null, reviewCount: 0 });

    const pending = await write(client, await pastAppointment(therapist.id, client.id), { rating: 5 });
    const early = await hide(pending.body.id);
    expect(early.status).toBe(409);
    expect(early.body.error).toMatchObject({ code: 'REVIEW_ALREADY_MODERATED', details: { status: 'pending' } });
    expect((await api('POST', `/admin/reviews/${id}/hide`, { token: client.token, body: { reason: 'x' } })).status).toBe(403);
  });

  it('only approved reviews count in the directory rating, however many are pending', async () => {
    const therapist = await createListedTherapist(api, node.platform, admin);
    const client = await newClient();
    await approvedReview(therapist, client, { rating: 5 });
    await approvedReview(therapist, client, { rating: 4 });
    for (const rating of [1, 1, 1]) expect((await write(client, await pastAppointment(therapist.id, client.id), { rating })).status).toBe(201);
    expect(await directoryEntry(therapist.id)).toMatchObject({ rating: 4.5, reviewCount: 2 });
  });

  it('one review per appointment, only once it is completed, and only by its client', async () => {
    const therapist = await createListedTherapist(api, node.platform, admin);
    const client = await newClient();
    const completed = await pastAppointment(therapist.id, client.id);
    expect((await write(client, completed, { rating: 5 })).status).toBe(201);
    const second = await write(client, completed, { rating: 1 });
    expect(second.status).toBe(409);
    expect(second.body.error).toMatchObject({ code: 'REVIEW_EXISTS', message: expect.any(String) });

    const upcoming = await createAppointment(node.platform.database.owner, { therapistId: therapist.id, clientId: client.id, startsInMinutes: 24 * 60, status: 'confirmed' });
    const early = await write(client, upcoming, { rating: 5 });
    expect(early.status).toBe(409);
    expect(early.body.error).toMatchObject({ code: 'REVIEW_APPOINTMENT_NOT_COMPLETED', details: { status: 'confirmed' } });

    const [otherClient] = (await createAccounts(node.platform, 'client', 1)) as [Account];
    const othersAppointment = await pastAppointment(therapist.id, otherClient.id);
    const unknown = await write(client, '00000000-0000-4000-8000-000000000000', { rating: 5 });
    expect(unknown.status).toBe(404);
    for (const [who, appointmentId] of [[client, othersAppointment], [therapist, othersAppointment], [otherClient, completed], [therapist, completed]] as const) {
      const refused = await write(who, appointmentId, { rating: 5 });
      expect(refused.status).toBe(404);
      expect(refused.body).toEqual(unknown.body);
    }
    expect((await api('POST', `/appointments/${completed}/review`, { body: { rating: 5 } })).status).toBe(401);
    const [row] = await sql<{ count: string }>(node.platform, 'SELECT count(*) AS count FROM reviews WHERE therapist_id = :id', { id: therapist.id });
    expect(Number(row!.count)).toBe(1);
  });

  it('an anonymous review shows no name, in Greek or English', async () => {
    const therapist = await createListedTherapist(api, node.platform, admin);
    const client = await newClient();
    const id = await approvedReview(therapist, client, { rating: 5, comment: 'Σας ευχαριστώ.', anonymous: true });
    const greek = await publicReviews(therapist.id);
    expect(greek.body.reviews).toEqual([{ id, rating: 5, comment: 'Σας ευχαριστώ.', author: 'Ανώνυμος', anonymous: true, createdAt: expect.any(String) }]);
    expect((await publicReviews(therapist.id, '?language=en')).body.reviews[0].author).toBe('Anonymous');
    for (const secret of ['Μαρία', 'Π.', client.id, client.email]) expect(JSON.stringify(greek.body)).not.toContain(secret);
  });

  it('pages approved reviews newest first with a cursor', async () => {
    const therapist = await createListedTherapist(api, node.platform, admin);
    const client = await newClient();
    const ids: string[] = [];
    for (const rating of [3, 4, 5]) ids.push(await approvedReview(therapist, client, { rating }));
    const first = await publicReviews(therapist.id, '?limit=2');
    expect(first.body.reviews.map((review: { id: string }) => review.id)).toEqual([ids[2], ids[1]]);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const second = await publicReviews(therapist.id, `?limit=2&cursor=${first.body.nextCursor}`);
    expect(second.body).toEqual({ reviews: [expect.objectContaining({ id: ids[0], rating: 3 })], nextCursor: null });
  });

  it('moderation is for super admins only', async () => {
    const therapist = await createListedTherapist(api, node.platform, admin);
    const client = await newClient();
    const written = await write(client, await pastAppointment(therapist.id, client.id), { rating: 2 });
    for (const who of [client, therapist]) {
      for (const [method, path, body] of [
        ['GET', '/admin/reviews', undefined],
        ['POST', `/admin/reviews/${written.body.id}/approve`, undefined],
        ['POST', `/admin/reviews/${written.body.id}/reject`, { reason: 'x' }],
      ] as const) {
        const refused = await api(method, path, { token: who.token, body });
        expect(refused.status, `${method} ${path}`).toBe(403);
        expect(refused.body.error.code).toBe('FORBIDDEN');
      }
    }
    expect((await api('GET', '/admin/reviews')).status).toBe(401);
    const [stored] = await sql<{ status: string }>(node.platform, 'SELECT status FROM reviews WHERE id = :id', { id: written.body.id });
    expect(stored!.status).toBe('pending');
    expect((await approve('00000000-0000-4000-8000-000000000000')).status).toBe(404);
  });

  it('refuses bad input with a 400 naming each field', async () => {
    const therapist = await createListedTherapist(api, node.platform, admin);
    const client = await newClient();
    const appointmentId = await pastAppointment(therapist.id, client.id);
    const paths = async (response: Promise<{ status: number; body: any }>) => {
      const { status, body } = await response;
      expect(status, JSON.stringify(body)).toBe(400);
      expect(body.error.code).toBe('VALIDATION_FAILED');
      return (body.error.details as Array<{ path: string }>).map((detail) => detail.path).sort();
    };
    expect(await paths(write(client, appointmentId, { rating: 6, comment: 'x'.repeat(2001), anonymous: 'yes' }))).toEqual(['anonymous', 'comment', 'rating']);
    expect(await paths(write(client, appointmentId, { rating: 2.5 }))).toEqual(['rating']);
    expect(await paths(write(client, appointmentId, {}))).toEqual(['rating']);
    expect(await paths(write(client, appointmentId, { rating: 3, clientId: therapist.id }))).toEqual(['']);
    expect(await paths(write(client, 'not-a-uuid', { rating: 3 }))).toEqual(['id']);
    expect(await paths(api('POST', `/admin/reviews/${appointmentId}/reject`, { token: admin.token, body: { reason: '   ' } }))).toEqual(['reason']);
    expect(await paths(api('GET', '/admin/reviews?status=lost', { token: admin.token }))).toEqual(['status']);
    expect(await paths(publicReviews(therapist.id, '?limit=0&language=fr'))).toEqual(['language', 'limit']);
    const badCursor = await publicReviews(therapist.id, '?cursor=bm90LWEtY3Vyc29y');
    expect({ status: badCursor.status, code: badCursor.body.error.code, paths: badCursor.body.error.details.map((detail: { path: string }) => detail.path) }).toEqual({
      status: 400,
      code: 'INVALID_CURSOR',
      paths: ['cursor'],
    });
    expect((await publicReviews('00000000-0000-4000-8000-000000000000')).status).toBe(404);
    const [row] = await sql<{ count: string }>(node.platform, 'SELECT count(*) AS count FROM reviews WHERE appointment_id = :appointmentId', { appointmentId });
    expect(Number(row!.count)).toBe(0);
  });

  it('works through the SDK: a client writes, an admin moderates, anyone reads', async () => {
    const therapist = await createListedTherapist(api, node.platform, admin);
    const client = await newClient();
    const moderator = await newClient();
    await sql(node.platform, `UPDATE users SET role = 'super_admin' WHERE id = :id RETURNING id`, { id: moderator.id });
    const [app, adminApp, visitor] = await Promise.all([restOnlyClient(node.url), restOnlyClient(node.url), restOnlyClient(node.url)]);
    opened.push(app, adminApp, visitor);
    await app.auth.login(client.email, TEST_PASSWORD);
    await adminApp.auth.login(moderator.email, TEST_PASSWORD);
    const appointmentId = await pastAppointment(therapist.id, client.id);

    const review = await app.api.reviews.write(appointmentId, { rating: 5, comment: 'Εξαιρετική.' });
    expect(review).toMatchObject({ appointmentId, status: 'pending', anonymous: false });
    const twice = await app.api.reviews.write(appointmentId, { rating: 5 }).then(() => undefined, (error: unknown) => error);
    expect(twice).toBeInstanceOf(AppError);
    expect(twice).toMatchObject({ code: 'REVIEW_EXISTS', status: 409 });

    expect((await adminApp.api.admin.reviews({ limit: 100 })).reviews.map((item) => item.id)).toContain(review.id);
    expect(await adminApp.api.admin.approveReview(review.id)).toMatchObject({ status: 'approved' });
    const page = await visitor.api.reviews.listForTherapist(therapist.id, { language: 'en' });
    expect(page).toEqual({ reviews: [{ id: review.id, rating: 5, comment: 'Εξαιρετική.', author: AUTHOR, anonymous: false, createdAt: review.createdAt }], nextCursor: null });
  });
});
