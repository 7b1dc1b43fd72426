import { randomBytes } from 'node:crypto';
import { chmod, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { QueryTypes } from 'sequelize';
import { createLogger, EmbeddedPostgresServer, loadConfig, Platform } from '@therapy-field/server';
import { API_BASE_PATH } from '@therapy-field/sync';
import { freePort } from '../../test/support/free-port.js';
import { startRedis } from '../../test/support/redis.js';
import { benchRolePasswords } from '../role-passwords.js';

const THERAPISTS = Number(process.env.BENCH_SEARCH_THERAPISTS ?? 10_000);
const WARM_RUNS = 40;
const COLD_RUNS = 20;
/** The same HTTP stack without a search (one small catalogue table), measured beside the searches. */
const BASELINE = 'baseline GET /specializations';

const firstNames = ['Ελένη', 'Μαρία', 'Γιώργος', 'Νίκος', 'Κατερίνα', 'Δημήτρης', 'Σοφία', 'Χρήστος', 'Άννα', 'Κώστας', 'Eleni', 'Maria', 'John', 'Sarah', 'Michael', 'Anna', 'David', 'Emma', 'Peter', 'Laura'];
const lastNames = ['Παπαδάκη', 'Παπαδόπουλος', 'Νικολάου', 'Γεωργίου', 'Οικονόμου', 'Καραγιάννη', 'Αλεξίου', 'Βασιλείου', 'Ιωάννου', 'Μακρή', 'Papadaki', 'Smith', 'Brown', 'Jones', 'Taylor', 'Wilson', 'Evans', 'Thomas', 'Roberts', 'Walker'];
const cities: Array<[string, number, number]> = [
  ['Αθήνα', 37.98, 23.73], ['Θεσσαλονίκη', 40.63, 22.94], ['Πάτρα', 38.25, 21.73], ['Ηράκλειο', 35.34, 25.13], ['Λάρισα', 39.64, 22.42],
  ['Βόλος', 39.36, 22.94], ['Ιωάννινα', 39.66, 20.85], ['Χανιά', 35.51, 24.02], ['Μαρούσι', 38.05, 23.81], ['Γλυφάδα', 37.86, 23.75],
];
const specializations: Array<[string, string]> = [
  ['Anxiety disorders', 'Αγχώδεις διαταραχές'], ['Depression', 'Κατάθλιψη'], ['Couples therapy', 'Θεραπεία ζεύγους'], ['Trauma', 'Τραύμα'],
  ['Eating disorders', 'Διατροφικές διαταραχές'], ['Addictions', 'Εξαρτήσεις'], ['Grief', 'Πένθος'], ['Child psychology', 'Παιδοψυχολογία'],
  ['Panic attacks', 'Κρίσεις πανικού'], ['Stress management', 'Διαχείριση άγχους'], ['OCD', 'Ιδεοψυχαναγκαστική διαταραχή'], ['Sleep problems', 'Διαταραχές ύπνου'],
];
const approaches: Array<[string, string, string]> = [
  ['Cognitive behavioural therapy', 'Γνωσιακή συμπεριφορική θεραπεία', 'CBT'], ['Psychodynamic therapy', 'Ψυχοδυναμική θεραπεία', 'PD'],
  ['Systemic therapy', 'Συστημική θεραπεία', 'ST'], ['EMDR', 'EMDR', 'EMDR'], ['Gestalt', 'Gestalt', 'GT'], ['Acceptance and commitment therapy', 'Θεραπεία αποδοχής και δέσμευσης', 'ACT'],
];
const titles = ['Ψυχολόγος', 'Κλινική Ψυχολόγος', 'Ψυχοθεραπευτής', 'Ψυχίατρος', 'Psychologist', 'Psychotherapist', 'Counselling psychologist'];
const bios = [
  'Εργάζομαι με ενήλικες που ζουν με άγχος, κρίσεις πανικού και δυσκολίες στις σχέσεις.',
  'Βοηθώ ζευγάρια και οικογένειες να ξαναβρούν την επικοινωνία τους.',
  'I work with adults facing anxiety, low mood and burnout, online and in person.',
  'Ειδικεύομαι στο τραύμα και στο πένθος, με σεβασμό στον ρυθμό του καθενός.',
  'I support young people and parents through school stress, sleep problems and change.',
];

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
const round = (value: number) => Math.round(value * 100) / 100;

/**
 * The directory search on PostgreSQL with generated therapists (Greek and English names, cities,
 * specializations, approaches, rates, weekly hours, next free slots): twelve typical queries over
 * HTTP, each cold (every URL asked once, so no answer can come from the Redis cache: PostgreSQL
 * answers) and warm (the same URL again and again: the cache answers), p50/p95 in ms, errors
 * counted, cache hits counted from /metrics, the machine's load beside them.
 */
export default async function run() {
  const logger = createLogger('silent');
  // BENCH_SEARCH_DATA_DIR keeps the seeded database between runs (seeding 10,000 takes minutes on a loaded machine).
  const kept = process.env.BENCH_SEARCH_DATA_DIR;
  const root = kept ?? (await mkdtemp(join(tmpdir(), 'tf-bench-search-')));
  await mkdir(root, { recursive: true });
  await chmod(root, 0o755);
  const server = await EmbeddedPostgresServer.create({ dataDir: join(root, 'data'), port: await freePort(), logger });
  const redis = await startRedis();
  let platform: Platform | undefined;
  try {
    await server.createDatabaseIfMissing('bench');
    const config = loadConfig({
      NODE_ENV: 'test', HOST: '127.0.0.1', PORT: '0', DATABASE_URL: server.url('bench'), JWT_SECRET: randomBytes(32).toString('hex'),
      ENCRYPTION_KEYS: `bench:${randomBytes(32).toString('base64')}`, LOG_LEVEL: 'silent', REDIS_URL: redis.url, ...benchRolePasswords(),
    });
    platform = await Platform.create(config, logger);
    const url = await platform.listen();
    const seeding = performance.now();
    const catalog = (await seeded(platform)) ?? (await seed(platform));
    const seedSeconds = round((performance.now() - seeding) / 1000);
    await platform.database.owner.query('VACUUM ANALYZE therapist_search_documents');
    await platform.cache.invalidateCommitted();
    const loadBefore = loadavg().map(round);

    const athens = `${cities[0]![1]},${cities[0]![2]}`;
    const queries: Record<string, Record<string, string>> = {
      [BASELINE]: {},
      'greek-stem άγχος': { q: 'άγχος' },
      'english anxiety': { q: 'anxiety' },
      'greeklish agxos': { q: 'agxos' },
      'name latin papadaki': { q: 'papadaki' },
      'name greek Παπαδάκη typo-free': { q: 'Παπαδάκη' },
      'greeklish psyxologos thessaloniki': { q: 'psyxologos thessaloniki' },
      'city athens + online': { city: 'athens', online: 'true' },
      'specialization + price≤60 by price': { specializations: catalog.specializationIds[1]!, priceMax: '60', sort: 'price' },
      'within 10 km of Athens by distance': { near: athens, radiusKm: '10', sort: 'distance' },
      'free within 3 days by next slot': { availableWithinDays: '3', sort: 'next_slot' },
      'ψυχολόγος + facets': { q: 'ψυχολόγος', facets: 'true' },
      'facets: english, female, no text': { languages: 'en', gender: 'female', facets: 'true' },
    };

    const failures = { serverErrors: 0, requestErrors: 0, otherStatus: 0 };
    const timed = async (name: string, query: Record<string, string>) => {
      const started = performance.now();
      try {
        const response = await fetch(`${url}${API_BASE_PATH}/${name === BASELINE ? 'specializations' : 'therapists'}?${new URLSearchParams(query)}`);
        await response.arrayBuffer();
        if (response.status >= 500) failures.serverErrors += 1;
        else if (response.status !== 200) failures.otherStatus += 1;
      } catch {
        failures.requestErrors += 1;
      }
      return performance.now() - started;
    };
    const stats = (samples: number[]) => {
      const sorted = [...samples].sort((a, b) => a - b);
      return { p50: round(percentile(sorted, 50)), p95: round(percentile(sorted, 95)), runs: samples.length };
    };

    const results: Record<string, { cold: ReturnType<typeof stats>; warm: ReturnType<typeof stats>; hits?: number }> = {};
    for (const [name, query] of Object.entries(queries)) {
      // Cold: every URL differs (page size), so nothing answers it but the database.
      const cold: number[] = [];
      for (let run = 0; run < COLD_RUNS; run += 1) cold.push(await timed(name, { ...query, limit: String(20 + run) }));
      const warm: number[] = [];
      for (let run = 0; run < WARM_RUNS; run += 1) warm.push(await timed(name, { ...query, limit: '20' }));
      const hits = (await (await fetch(`${url}${API_BASE_PATH}/${name === BASELINE ? 'specializations' : 'therapists'}?${new URLSearchParams({ ...query, limit: '100' })}`)).json()) as { items?: unknown[] } | unknown[];
      results[name] = { cold: stats(cold), warm: stats(warm), hits: Array.isArray(hits) ? hits.length : (hits.items?.length ?? 0) };
    }
    const worst = (kind: 'cold' | 'warm') => Math.max(...Object.values(results).map((result) => result[kind].p95));
    const metrics = await (await fetch(`${url}/metrics`)).text();
    const counted = (name: string) => Number(metrics.match(new RegExp(`^${name}\\{cache="therapist-search"\\} (\\d+)`, 'm'))?.[1] ?? 0);
    return {
      backend: 'postgres',
      therapists: THERAPISTS,
      seedSeconds,
      budgetMs: { warmP95: 20, coldP95: 60 },
      worstP95Ms: { warm: worst('warm'), cold: worst('cold') },
      searchCache: { hits: counted('tf_cache_hits_total'), misses: counted('tf_cache_misses_total') },
      loadAverage: { before: loadBefore, after: loadavg().map(round) },
      note: 'cold: a URL asked once (PostgreSQL answers); warm: the same URL again (the Redis cache answers); latency over HTTP on the same machine',
      failures,
      queries: results,
    };
  } finally {
    await platform?.close();
    await redis.close();
    await server.close();
    if (!kept) {
      await rm(server.databaseDir, { recursive: true, force: true });
      await rm(root, { recursive: true, force: true });
    }
  }
}

/** The catalogue of a directory seeded by an earlier run (BENCH_SEARCH_DATA_DIR), if it is complete. */
async function seeded(platform: Platform): Promise<{ specializationIds: string[] } | undefined> {
  const [row] = await platform.database.owner.query<{ therapists: number; ids: string[] | null }>(
    `SELECT (SELECT count(*)::int FROM therapist_profiles) AS therapists,
            (SELECT array_agg(id ORDER BY array_position(ARRAY[:names]::text[], name_en::text)) FROM specializations) AS ids`,
    { type: QueryTypes.SELECT, replacements: { names: specializations.map(([en]) => en) } },
  );
  return row && row.therapists >= THERAPISTS && row.ids ? { specializationIds: row.ids } : undefined;
}

/**
 * Generated directory in a handful of set-based statements (source triggers off while loading, then
 * every search document built once by the migration's own refresh function). Next free slots are
 * generated too (0–20 days ahead, none for one in seven): the refresher's per-therapist slot
 * computation is not what this measures.
 */
async function seed(platform: Platform) {
  const owner = platform.database.owner;
  const query = <T extends object>(sql: string, replacements: Record<string, unknown> = {}) => owner.query<T>(sql, { type: QueryTypes.SELECT, replacements });
  const exec = (sql: string, replacements: Record<string, unknown> = {}) => owner.query(sql, { replacements });

  const specializationIds: string[] = [];
  for (const [en, el] of specializations) specializationIds.push((await query<{ id: string }>(`INSERT INTO specializations (name_en, name_el) VALUES (:en, :el) RETURNING id`, { en, el }))[0]!.id);
  const approachIds: string[] = [];
  for (const [en, el, abbreviation] of approaches) {
    approachIds.push((await query<{ id: string }>(`INSERT INTO therapeutic_approaches (name_en, name_el, abbreviation) VALUES (:en, :el, :abbreviation) RETURNING id`, { en, el, abbreviation }))[0]!.id);
  }
  await exec(`INSERT INTO appointment_types (name, duration_minutes) VALUES ('Συνεδρία', 50)`);

  await owner.transaction(async (transaction) => {
    const run = (sql: string, replacements: Record<string, unknown> = {}) => owner.query(sql, { replacements, transaction });
    await run(`SET LOCAL session_replication_role = replica`);
    await run(`CREATE TEMP TABLE bench_t ON COMMIT DROP AS SELECT gen_random_uuid() AS id, n FROM generate_series(1, :count) n`, { count: THERAPISTS });
    await run(`INSERT INTO users (id, email, email_normalized, password_hash, role, status, email_verified)
               SELECT id, 't' || n || '@bench.gr', 't' || n || '@bench.gr', 'x', 'therapist', 'active', TRUE FROM bench_t`);
    await run(
      `INSERT INTO user_profiles (user_id, first_name, last_name, gender, profile_photo_url)
       SELECT id, (ARRAY[:first])[1 + n % :firstCount], (ARRAY[:last])[1 + (n / 7) % :lastCount],
              (ARRAY['female','male','other']::gender[])[1 + n % 3], 'https://cdn.example.gr/t/' || n || '.jpg' FROM bench_t`,
      { first: firstNames, last: lastNames, firstCount: firstNames.length, lastCount: lastNames.length },
    );
    await run(
      `INSERT INTO therapist_profiles (user_id, license_number, professional_title, bio, years_of_experience, is_verified,
                                       offers_online_therapy, offers_in_person_therapy, accepts_insurance)
       SELECT id, 'B-' || n, (ARRAY[:titles])[1 + n % :titleCount], (ARRAY[:bios])[1 + (n / 3) % :bioCount], n % 30, n % 20 <> 0,
              n % 4 <> 0, n % 5 <> 0, n % 2 = 0 FROM bench_t`,
      { titles, titleCount: titles.length, bios, bioCount: bios.length },
    );
    await run(
      `INSERT INTO therapist_specializations (therapist_id, specialization_id, is_primary)
       SELECT id, (ARRAY[:ids])[1 + (n + k * 5) % :count]::uuid, k = 0 FROM bench_t, generate_series(0, 2) k`,
      { ids: specializationIds, count: specializationIds.length },
    );
    await run(
      `INSERT INTO therapist_approaches (therapist_id, approach_id)
       SELECT id, (ARRAY[:ids])[1 + (n + k * 2) % :count]::uuid FROM bench_t, generate_series(0, 1) k`,
      { ids: approachIds, count: approachIds.length },
    );
    await run(`INSERT INTO therapist_languages (therapist_id, language_code) SELECT id, 'el' FROM bench_t UNION ALL SELECT id, 'en' FROM bench_t WHERE n % 3 = 0`);
    await run(
      `INSERT INTO therapist_locations (therapist_id, address_line1, city, latitude, longitude)
       SELECT id, 'Οδός ' || n, c.city, c.lat + ((n * 37) % 100 - 50) / 1000.0, c.lng + ((n * 53) % 100 - 50) / 1000.0
         FROM bench_t, LATERAL (SELECT (ARRAY[:names])[1 + n % :count] AS city, (ARRAY[:lats])[1 + n % :count]::numeric AS lat, (ARRAY[:lngs])[1 + n % :count]::numeric AS lng) c`,
      { names: cities.map((city) => city[0]), lats: cities.map((city) => city[1]), lngs: cities.map((city) => city[2]), count: cities.length },
    );
    await run(`INSERT INTO therapist_rates (therapist_id, rate_amount, effective_from) SELECT id, 35 + (n * 7) % 90, '2026-01-01' FROM bench_t`);
    await run(
      `INSERT INTO availability_templates (therapist_id, day_of_week, start_time, end_time)
       SELECT id, d, '09:00', '17:00' FROM bench_t, generate_series(1, 5) d WHERE n % 7 <> 0`,
    );
  });
  await exec(`SELECT refresh_therapist_search_document(user_id) FROM therapist_profiles`);
  await exec(
    `UPDATE therapist_search_documents d SET next_slot_checked_at = now(),
            next_free_slot = CASE WHEN b.n % 7 = 0 THEN NULL ELSE now() + make_interval(hours => ((b.n * 13) % 480)::int) END
       FROM (SELECT user_id, row_number() OVER (ORDER BY user_id) AS n FROM therapist_profiles) b WHERE b.user_id = d.therapist_id`,
  );
  await exec(`VACUUM ANALYZE therapist_search_documents`);
  await exec(`ANALYZE therapist_locations`);
  return { specializationIds, approachIds };
}
