import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TherapistSearchResult } from '@therapy-field/sync';
import { apiClient, type ApiRequest } from '../../support/http.js';
import type { TestPlatform } from '../../support/platform.js';
import { createAccounts, createAppointmentType, createListedTherapist, everyDay, sql, type Account } from '../../support/scheduling.js';
import { signUp } from '../../support/accounts.js';

/** A node whose directory search runs on the backend under test. */
export interface SearchBackendUnderTest {
  node: TestPlatform;
  /** Brings the backend up to date with committed writes (next free slots; an index's refresh). */
  settle(): Promise<void>;
}

interface TherapistFixture {
  firstName: string;
  lastName: string;
  gender: 'male' | 'female';
  photoUrl?: string;
  title: string;
  bio: string;
  years: number;
  online: boolean;
  inPerson: boolean;
  insurance: boolean;
  specialization: 'anxiety' | 'couples' | 'depression';
  approach: 'cbt' | 'systemic';
  languages: string[];
  city: string;
  latitude: number;
  longitude: number;
  rate: number;
  hours: boolean;
}

const fixtures = {
  eleni: {
    firstName: 'Ελένη', lastName: 'Παπαδάκη', gender: 'female', photoUrl: 'https://cdn.example.gr/eleni.jpg',
    title: 'Κλινική Ψυχολόγος', bio: 'Δουλεύω με ενήλικες σε θέματα διαχείρισης στρες και πανικού.', years: 12,
    online: true, inPerson: true, insurance: true, specialization: 'anxiety', approach: 'cbt', languages: ['el', 'en'],
    city: 'Αθήνα', latitude: 37.9795, longitude: 23.7402, rate: 60, hours: true,
  },
  john: {
    firstName: 'John', lastName: 'Smith', gender: 'male', title: 'Psychotherapist', bio: 'I help couples and families talk again.',
    years: 4, online: true, inPerson: false, insurance: false, specialization: 'couples', approach: 'systemic', languages: ['en'],
    city: 'Θεσσαλονίκη', latitude: 40.6326, longitude: 22.9406, rate: 90, hours: false,
  },
  giorgos: {
    firstName: 'Γιώργος', lastName: 'Νικολάου', gender: 'male', title: 'Ψυχίατρος', bio: 'Θεραπεία της κατάθλιψης με συνεδρίες στο γραφείο.',
    years: 8, online: false, inPerson: true, insurance: true, specialization: 'depression', approach: 'cbt', languages: ['el'],
    city: 'Πάτρα', latitude: 38.2466, longitude: 21.7346, rate: 45, hours: true,
  },
} satisfies Record<string, TherapistFixture>;

type Name = keyof typeof fixtures;

/**
 * The directory search contract every backend keeps (PostgreSQL always; Elasticsearch when one
 * is reachable): Greek, English and Greeklish text, places in both scripts, typos on names, every
 * filter, the sorts, the cursor, facets and what each result carries.
 */
export function therapistSearchContract(label: string, start: () => Promise<SearchBackendUnderTest>) {
  describe(`therapist search contract: ${label}`, () => {
    let backend: SearchBackendUnderTest;
    let api: ApiRequest;
    let admin: Account;
    const ids = {} as Record<Name | 'unverified', string>;
    const catalog = {} as Record<'anxiety' | 'couples' | 'depression' | 'cbt' | 'systemic', string>;

    const search = async (query: Record<string, string | number | boolean>): Promise<TherapistSearchResult> => {
      const params = new URLSearchParams(Object.entries(query).map(([key, value]) => [key, String(value)]));
      const response = await api('GET', `/therapists?${params}`);
      expect(response.status, JSON.stringify(response.body)).toBe(200);
      return response.body as TherapistSearchResult;
    };
    /** Our fixtures among the results, in result order (the database may hold others). */
    const found = async (query: Record<string, string | number | boolean>) => {
      const mine = new Map(Object.entries(ids).map(([name, id]) => [id, name]));
      return (await search({ limit: 100, ...query })).items.flatMap((item) => (mine.has(item.id) ? [mine.get(item.id)!] : []));
    };

    beforeAll(async () => {
      backend = await start();
      const { node } = backend;
      api = apiClient(node.url);
      admin = (await createAccounts(node.platform, 'super_admin', 1))[0]!;
      const add = async (kind: 'specializations' | 'approaches', body: Record<string, string>) => {
        const created = await api('POST', `/${kind}`, { token: admin.token, body });
        expect(created.status, JSON.stringify(created.body)).toBe(201);
        return created.body.id as string;
      };
      catalog.anxiety = await add('specializations', { nameEn: 'Anxiety disorders', nameEl: 'Αγχώδεις διαταραχές' });
      catalog.couples = await add('specializations', { nameEn: 'Couples therapy', nameEl: 'Θεραπεία ζεύγους' });
      catalog.depression = await add('specializations', { nameEn: 'Depression', nameEl: 'Κατάθλιψη' });
      catalog.cbt = await add('approaches', { nameEn: 'Cognitive behavioural therapy', nameEl: 'Γνωσιακή συμπεριφορική θεραπεία', abbreviation: 'CBT' });
      catalog.systemic = await add('approaches', { nameEn: 'Systemic therapy', nameEl: 'Συστημική θεραπεία' });
      const sessionType = await createAppointmentType(api, admin, 50);

      for (const [name, fixture] of Object.entries(fixtures) as Array<[Name, TherapistFixture]>) {
        const therapist = await createListedTherapist(api, node.platform, admin, {
          profile: {
            professionalTitle: fixture.title, bio: fixture.bio, yearsOfExperience: fixture.years,
            offersOnlineTherapy: fixture.online, offersInPersonTherapy: fixture.inPerson,
          },
          ...(fixture.hours ? { templates: everyDay('09:00', '17:00') } : {}),
        });
        ids[name] = therapist.id;
        const token = therapist.token;
        await sql(node.platform, `UPDATE user_profiles SET first_name = :first, last_name = :last, gender = :gender, profile_photo_url = :photo WHERE user_id = :id RETURNING user_id`, {
          id: therapist.id, first: fixture.firstName, last: fixture.lastName, gender: fixture.gender, photo: fixture.photoUrl ?? null,
        });
        await sql(node.platform, `UPDATE therapist_profiles SET accepts_insurance = :insurance WHERE user_id = :id RETURNING user_id`, { id: therapist.id, insurance: fixture.insurance });
        const put = async (suffix: string, body: unknown) => expect((await api('PUT', `/therapists/${therapist.id}/${suffix}`, { token, body })).status).toBe(200);
        await put('specializations', [{ id: catalog[fixture.specialization], isPrimary: true }]);
        await put('approaches', [{ id: catalog[fixture.approach] }]);
        await put('languages', fixture.languages.map((code) => ({ code })));
        const located = await api('POST', `/therapists/${therapist.id}/locations`, {
          token, body: { addressLine1: 'Οδός 1', city: fixture.city, latitude: fixture.latitude, longitude: fixture.longitude },
        });
        expect(located.status).toBe(200);
        const rated = await api('POST', `/therapists/${therapist.id}/rates`, { token, body: { appointmentTypeId: sessionType, amount: fixture.rate, effectiveFrom: '2026-01-01' } });
        expect(rated.status).toBe(200);
      }
      // A namesake nobody verified: never listed.
      const unverified = await signUp(api, node.platform.database.owner, 'therapist');
      ids.unverified = unverified.id;
      await sql(node.platform, `UPDATE user_profiles SET first_name = 'Ελένη', last_name = 'Παπαδάκη' WHERE user_id = :id RETURNING user_id`, { id: unverified.id });
      await backend.settle();
    });

    afterAll(async () => {
      await backend?.node.close();
    });

    it('finds a Greek name by Latin, Greek, unaccented and misspelt forms', async () => {
      for (const q of ['eleni', 'papadaki', 'Παπαδακη', 'ΠΑΠΑΔΆΚΗ', 'Ελένη Παπαδάκη', 'eleni papadaki', 'papdaki', 'Παπαδάκι', 'elen']) {
        expect(await found({ q }), q).toEqual(['eleni']);
      }
      expect(await found({ q: 'Γιωργος' })).toEqual(['giorgos']);
      expect(await found({ q: 'giorgos nikolaou' })).toEqual(['giorgos']);
      expect(await found({ q: 'smith' })).toEqual(['john']);
    });

    it('finds places in either script, as text and as a filter', async () => {
      for (const q of ['athens', 'Αθήνα', 'αθηνα', 'ATHENS']) expect(await found({ q }), q).toEqual(['eleni']);
      for (const q of ['thessaloniki', 'Θεσσαλονίκη', 'thesaloniki']) expect(await found({ q }), q).toEqual(['john']);
      for (const city of ['athens', 'ΑΘΗΝΑ', 'Athina']) expect(await found({ city }), city).toEqual(['eleni']);
      expect((await found({ city: 'Πάτρα' }))).toEqual(['giorgos']);
      expect((await found({ city: 'patras' }))).toEqual(['giorgos']);
    });

    it('finds specializations and approaches by Greek stems and prefixes, English words and Greeklish', async () => {
      for (const q of ['άγχος', 'αγχος', 'αγχ', 'anxiety', 'agxos', 'Αγχώδεις']) expect(await found({ q }), q).toEqual(['eleni']);
      for (const q of ['psyxologos', 'ψυχολογος', 'psixologos']) expect(await found({ q }), q).toEqual(['eleni']);
      for (const q of ['couples', 'ζευγους', 'Θεραπεία ζεύγους', 'zeugous']) expect(await found({ q }), q).toEqual(['john']);
      for (const q of ['κατάθλιψη', 'depression', 'katathlipsi']) expect(await found({ q }), q).toEqual(['giorgos']);
      expect((await found({ q: 'cbt' })).sort()).toEqual(['eleni', 'giorgos']);
      expect(await found({ q: 'families' })).toEqual(['john']);
      expect(await found({ q: 'πανικου' })).toEqual(['eleni']);
      expect(await found({ q: 'zzqx' })).toEqual([]);
    });

    it('filters by catalogue, language, mode, price, insurance, experience, gender, free slot and distance', async () => {
      const sorted = async (query: Record<string, string | number | boolean>) => (await found(query)).sort();
      expect(await sorted({ specializations: `${catalog.anxiety},${catalog.depression}` })).toEqual(['eleni', 'giorgos']);
      expect(await sorted({ specializationId: catalog.couples })).toEqual(['john']);
      expect(await sorted({ approaches: catalog.cbt })).toEqual(['eleni', 'giorgos']);
      expect(await sorted({ languages: 'en' })).toEqual(['eleni', 'john']);
      expect(await sorted({ online: true })).toEqual(['eleni', 'john']);
      expect(await sorted({ inPerson: true })).toEqual(['eleni', 'giorgos']);
      expect(await sorted({ priceMax: 50 })).toEqual(['giorgos']);
      expect(await sorted({ priceMin: 50, priceMax: 80 })).toEqual(['eleni']);
      expect(await sorted({ insurance: true })).toEqual(['eleni', 'giorgos']);
      expect(await sorted({ minExperience: 8 })).toEqual(['eleni', 'giorgos']);
      expect(await sorted({ gender: 'female' })).toEqual(['eleni']);
      expect(await sorted({ availableWithinDays: 7 })).toEqual(['eleni', 'giorgos']);
      expect(await sorted({ near: '37.98,23.73', radiusKm: 50 })).toEqual(['eleni']);
      expect(await sorted({ near: '37.98,23.73', radiusKm: 250 })).toEqual(['eleni', 'giorgos']);
      expect(await sorted({ q: 'cbt', online: true })).toEqual(['eleni']);
    });

    it('sorts by price, distance, next free slot and rating, and pages with a cursor', async () => {
      expect(await found({ sort: 'price' })).toEqual(['giorgos', 'eleni', 'john']);
      expect(await found({ sort: 'distance', near: '37.98,23.73' })).toEqual(['eleni', 'giorgos', 'john']);
      expect(await found({ sort: 'distance', near: '40.6,22.9' })).toEqual(['john', 'giorgos', 'eleni']);
      expect((await found({ sort: 'next_slot' })).at(-1)).toBe('john');

      const seen: string[] = [];
      let cursor: string | null = null;
      for (let page = 0; page < 10; page += 1) {
        const result: TherapistSearchResult = await search({ sort: 'price', limit: 1, ...(cursor ? { cursor } : {}), priceMin: 1 });
        seen.push(...result.items.map((item) => item.id));
        cursor = result.nextCursor;
        if (!cursor) break;
      }
      const ours = seen.filter((id) => Object.values(ids).includes(id));
      expect(ours).toEqual([ids.giorgos, ids.eleni, ids.john]);
      expect(new Set(seen).size).toBe(seen.length);

      const refused = await api('GET', `/therapists?sort=rating&cursor=${encodeURIComponent('bm90IGEgY3Vyc29y')}`);
      expect(refused.status).toBe(400);
      expect(refused.body.error.code).toBe('VALIDATION_FAILED');
      const wrongSort = await search({ sort: 'price', limit: 1, priceMin: 1 });
      expect((await api('GET', `/therapists?sort=rating&cursor=${wrongSort.nextCursor}`)).status).toBe(400);
      expect((await api('GET', '/therapists?sort=distance')).status).toBe(400);
      expect((await api('GET', '/therapists?near=95,10')).status).toBe(400);
    });

    it('counts facets over what the query matches', async () => {
      const { facets } = await search({ q: 'cbt', facets: true });
      expect(facets).toBeDefined();
      expect(facets!.total).toBeGreaterThanOrEqual(2);
      const count = (list: Array<{ value: string; count: number }>, value: string) => list.find((entry) => entry.value === value)?.count ?? 0;
      expect(count(facets!.specializations, catalog.anxiety)).toBe(1);
      expect(count(facets!.specializations, catalog.couples)).toBe(0);
      expect(count(facets!.approaches, catalog.cbt)).toBeGreaterThanOrEqual(2);
      expect(count(facets!.cities, 'Αθήνα')).toBeGreaterThanOrEqual(1);
      expect(count(facets!.cities, 'Πάτρα')).toBeGreaterThanOrEqual(1);
      expect(count(facets!.gender, 'female')).toBeGreaterThanOrEqual(1);
      expect(count(facets!.price, '40-60')).toBeGreaterThanOrEqual(1);
      expect(count(facets!.price, '60-80')).toBeGreaterThanOrEqual(1);
      expect(facets!.inPerson).toBeGreaterThanOrEqual(2);
      expect((await search({ q: 'cbt' })).facets).toBeUndefined();
    });

    it('answers each result with name in the reader’s language, photo, title, price, rating, next slot, cities and modes', async () => {
      const [greek] = (await search({ q: 'papadaki' })).items;
      expect(greek).toMatchObject({
        id: ids.eleni, name: 'Ελένη Παπαδάκη', photoUrl: 'https://cdn.example.gr/eleni.jpg', title: 'Κλινική Ψυχολόγος', priceFrom: 60,
        currency: 'EUR', reviewCount: 0, cities: ['Αθήνα'], online: true, inPerson: true, acceptsInsurance: true,
        specializations: ['Anxiety disorders'], specializationsEl: ['Αγχώδεις διαταραχές'], languages: ['el', 'en'],
      });
      expect(greek!.nextFreeSlot).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+0[23]:00$/);
      expect(Date.parse(greek!.nextFreeSlot!)).toBeGreaterThan(Date.now() - 60_000);
      const [english] = (await search({ q: 'papadaki', lang: 'en' })).items;
      expect(english!.name).toBe('Eleni Papadaki');
      expect((await search({ q: 'smith', lang: 'en' })).items[0]!.name).toBe('John Smith');
      expect((await search({ q: 'smith' })).items[0]!.nextFreeSlot).toBeNull();
      const [near] = (await search({ q: 'eleni', near: '37.98,23.73' })).items;
      expect(near!.distanceKm).toBeLessThan(2);
    });

    it('follows committed changes: an edited bio, a therapist who pauses, a new rate', async () => {
      const therapist = { id: ids.john };
      await sql(backend.node.platform, `UPDATE therapist_profiles SET bio = 'Ειδικός στο πένθος.' WHERE user_id = :id RETURNING user_id`, therapist);
      await backend.settle();
      expect(await found({ q: 'πένθος' })).toEqual(['john']);
      expect(await found({ q: 'families' })).toEqual([]);
      await sql(backend.node.platform, `UPDATE therapist_profiles SET is_active = FALSE WHERE user_id = :id RETURNING user_id`, therapist);
      await backend.settle();
      expect(await found({ q: 'smith' })).toEqual([]);
      await sql(backend.node.platform, `UPDATE therapist_profiles SET is_active = TRUE WHERE user_id = :id RETURNING user_id`, therapist);
      await sql(backend.node.platform, `INSERT INTO therapist_rates (therapist_id, rate_amount, effective_from) VALUES (:id, 30, '2026-01-01') RETURNING id`, therapist);
      await backend.settle();
      expect((await search({ q: 'smith' })).items[0]!.priceFrom).toBe(30);
    });
  });
}
