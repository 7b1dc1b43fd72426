import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient, type ApiRequest } from '../../support/http.js';
import { startTestPlatform, type TestPlatform } from '../../support/platform.js';
import { signUp } from '../../support/accounts.js';
import { createAccounts, createAppointmentType, createListedTherapist, type Account } from '../../support/scheduling.js';

describe('therapist directory', () => {
  let node: TestPlatform;
  let api: ApiRequest;
  let admin: Account;
  let anxiety: string;
  let cbt: string;

  const search = async (query: string) => {
    const response = await api('GET', `/therapists?${query}`);
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    return (response.body.items as Array<{ id: string }>).map((item) => item.id);
  };

  beforeAll(async () => {
    node = await startTestPlatform();
    api = apiClient(node.url);
    admin = (await createAccounts(node.platform, 'super_admin', 1))[0]!;
    const spec = await api('POST', '/specializations', { token: admin.token, body: { nameEn: 'Anxiety disorders', nameEl: 'Αγχώδεις διαταραχές' } });
    expect(spec.status).toBe(201);
    anxiety = spec.body.id;
    const approach = await api('POST', '/approaches', { token: admin.token, body: { nameEn: 'Cognitive behavioural therapy', nameEl: 'Γνωσιακή συμπεριφορική θεραπεία', abbreviation: 'CBT' } });
    cbt = approach.body.id;
    expect((await api('POST', '/specializations', { token: admin.token, body: { nameEn: 'Anxiety disorders', nameEl: 'Άλλο' } })).status).toBe(409);
  });

  afterAll(async () => {
    await node?.close();
  });

  it('lets a therapist build their own profile and no one else’s', async () => {
    const therapist = await createListedTherapist(api, node.platform, admin, { profile: { professionalTitle: 'Κλινική Ψυχολόγος', bio: 'Εργάζομαι με άγχος και κρίσεις πανικού.' } });
    const token = therapist.token;
    expect((await api('PUT', `/therapists/${therapist.id}/specializations`, { token, body: [{ id: anxiety, isPrimary: true, yearsExperience: 8 }] })).status).toBe(200);
    expect((await api('PUT', `/therapists/${therapist.id}/approaches`, { token, body: [{ id: cbt, proficiency: 'expert' }] })).status).toBe(200);
    expect((await api('PUT', `/therapists/${therapist.id}/languages`, { token, body: [{ code: 'el', proficiency: 'native' }, { code: 'en', proficiency: 'fluent' }] })).status).toBe(200);
    const located = await api('POST', `/therapists/${therapist.id}/locations`, {
      token,
      body: { practiceName: 'Γραφείο', addressLine1: 'Τσιμισκή 10', city: 'Θεσσαλονίκη', postalCode: '54624', latitude: 40.63, longitude: 22.94 },
    });
    expect(located.status).toBe(200);
    const type = await createAppointmentType(api, admin, 50);
    const rated = await api('POST', `/therapists/${therapist.id}/rates`, {
      token,
      body: { appointmentTypeId: type, amount: 60, effectiveFrom: '2026-01-01', corporateRate: 45, slidingScaleAvailable: true, slidingScaleMinimum: 30 },
    });
    expect(rated.status, JSON.stringify(rated.body)).toBe(200);

    const profile = (await api('GET', `/therapists/${therapist.id}`)).body;
    expect(profile).toMatchObject({
      professionalTitle: 'Κλινική Ψυχολόγος',
      isVerified: true,
      specializations: [{ id: anxiety, nameEl: 'Αγχώδεις διαταραχές', isPrimary: true, yearsExperience: 8 }],
      approaches: [{ id: cbt, proficiency: 'expert' }],
      languages: [{ code: 'el', proficiency: 'native' }, { code: 'en', proficiency: 'fluent' }],
      locations: [{ city: 'Θεσσαλονίκη', latitude: 40.63 }],
      rates: [{ amount: 60, corporateRate: 45, slidingScaleAvailable: true, slidingScaleMinimum: 30, currency: 'EUR' }],
      settings: { timezone: 'Europe/Athens' },
    });

    const colleague = await createListedTherapist(api, node.platform, admin);
    const refused = await api('PATCH', `/therapists/${therapist.id}`, { token: colleague.token, body: { bio: 'hijacked' } });
    expect(refused.status).toBe(403);
    const [client] = await createAccounts(node.platform, 'client', 1);
    expect((await api('PATCH', `/therapists/${therapist.id}`, { token: client!.token, body: { bio: 'x' } })).status).toBe(403);
    expect((await api('POST', `/therapists/${therapist.id}/locations`, { token: colleague.token, body: { addressLine1: 'x', city: 'y' } })).status).toBe(403);
    const invalid = await api('PATCH', `/therapists/${therapist.id}`, { token, body: { settings: { bufferMinutes: -5, timezone: 'Mars/Olympus' } } });
    expect(invalid.status).toBe(400);
    expect(invalid.body.error.details.map((detail: { path: string }) => detail.path).sort()).toEqual(['settings.bufferMinutes', 'settings.timezone']);
    const unknownSpec = await api('PUT', `/therapists/${therapist.id}/specializations`, { token, body: [{ id: '00000000-0000-4000-8000-000000000000' }] });
    expect(unknownSpec.status).toBe(404);
    expect((await api('DELETE', `/therapists/${therapist.id}/locations/${profile.locations[0].id}`, { token })).status).toBe(204);
    expect((await api('GET', `/therapists/${therapist.id}`)).body.locations).toEqual([]);
  });

  it('shows clients only verified, active therapists; the therapist always sees their own', async () => {
    const pending = await signUp(api, node.platform.database.owner, 'therapist');
    expect((await api('GET', `/therapists/${pending.id}`)).status).toBe(404);
    const own = await api('GET', '/therapists/me', { token: pending.accessToken });
    expect(own.status).toBe(200);
    expect(own.body.isVerified).toBe(false);
    await api('PUT', `/therapists/${pending.id}/specializations`, { token: pending.accessToken, body: [{ id: anxiety }] });
    expect(await search(`q=${encodeURIComponent('Anxiety')}`)).not.toContain(pending.id);

    const paused = await createListedTherapist(api, node.platform, admin);
    await api('PUT', `/therapists/${paused.id}/specializations`, { token: paused.token, body: [{ id: anxiety }] });
    expect(await search(`q=anxiety`)).toContain(paused.id);
    await api('PATCH', `/therapists/${paused.id}`, { token: paused.token, body: { isActive: false } });
    expect(await search(`q=anxiety`)).not.toContain(paused.id);
    expect((await api('GET', `/therapists/${paused.id}`)).status).toBe(404);
  });

  it('searches in Greek and English, ignoring accents and case', async () => {
    const therapist = await createListedTherapist(api, node.platform, admin, { profile: { bio: 'Ψυχοθεραπεία για άγχος και κατάθλιψη.' } });
    await api('PUT', `/therapists/${therapist.id}/specializations`, { token: therapist.token, body: [{ id: anxiety }] });
    await api('POST', `/therapists/${therapist.id}/locations`, { token: therapist.token, body: { addressLine1: 'Ερμού 1', city: 'Αθήνα' } });
    for (const query of ['ΑΓΧΩΔΕΙΣ', 'αγχωδεις', 'Αγχώδεις διαταραχές', 'ANXIETY disorders', 'καταθλιψη']) {
      expect(await search(`q=${encodeURIComponent(query)}`), query).toContain(therapist.id);
    }
    expect(await search(`city=${encodeURIComponent('ΑΘΗΝΑ')}`)).toContain(therapist.id);
    expect(await search(`city=${encodeURIComponent('Πάτρα')}`)).not.toContain(therapist.id);
    expect(await search(`specializationId=${anxiety}&limit=100`)).toContain(therapist.id);
    expect((await api('GET', '/therapists?limit=0')).status).toBe(400);
    const catalog = await api('GET', '/specializations');
    expect(catalog.body).toContainEqual({ id: anxiety, nameEn: 'Anxiety disorders', nameEl: 'Αγχώδεις διαταραχές' });
  });
});
