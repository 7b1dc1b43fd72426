import { QueryTypes, type Sequelize, type Transaction } from 'sequelize';
import { hashPassword } from '../auth/index.js';
import type { Logger } from '../logger/index.js';
import { insertDemoAppointment, seedDemoActivity, type DemoActivityDeps } from './demo-activity.js';
import { seedDemoProgress } from './demo-progress.js';
import { demoCatalog, demoEmployees, demoPeople, isDemoTherapist, type DemoPerson, type DemoTherapist } from './demo-catalog.js';

export const DEMO_PASSWORD = 'therapy-field-demo';

export const demoLogins = demoPeople.map(({ role, email }) => ({ role, email }));

type Ids = Map<string, string>;

/**
 * Fills an empty platform with a small, believable practice network: therapists in Athens and
 * Thessaloniki (Greek and English names), clients, one business with its employees, and a month
 * of their activity (demo-activity.ts). Each part runs once: a second start finds it and moves on,
 * so a database seeded by an earlier version gets only what it lacks.
 */
export async function seedDemoData(deps: DemoActivityDeps, logger: Logger): Promise<void> {
  const { sequelize } = deps;
  const started = Date.now();
  const isSeeded = async (email: string) =>
    (await sequelize.query(`SELECT 1 FROM users WHERE email_normalized = :email`, { type: QueryTypes.SELECT, replacements: { email } })).length > 0;
  let passwordHash: string | undefined;
  const demoPasswordHash = async () => (passwordHash ??= await hashPassword(DEMO_PASSWORD));
  if (!(await isSeeded(demoPeople[0]!.email))) await seedNetwork(sequelize, await demoPasswordHash());
  if (!(await isSeeded(demoEmployees[0]!.email))) await seedEmployees(sequelize, await demoPasswordHash());
  if (await seedDemoActivity(deps)) logger.info({ ms: Date.now() - started }, 'demo activity seeded');
  if (await seedDemoProgress(deps, demoPasswordHash)) logger.info({ ms: Date.now() - started }, 'demo habits, goals, plan and verification queue seeded');
}

async function seedNetwork(sequelize: Sequelize, passwordHash: string): Promise<void> {
  await sequelize.transaction(async (transaction) => {
    const insert = (sql: string, replacements: Record<string, unknown>) =>
      sequelize.query<{ id: string }>(sql, { type: QueryTypes.SELECT, replacements, transaction });
    const catalog = await seedCatalog(insert);
    for (const person of demoPeople) {
      const userId = await seedPerson(insert, person, passwordHash);
      if (isDemoTherapist(person)) await seedTherapist(insert, userId, person, catalog);
    }
    await seedBusiness(insert);
    await seedCare(sequelize, catalog.appointmentTypes, transaction);
  });
}

async function seedEmployees(sequelize: Sequelize, passwordHash: string): Promise<void> {
  await sequelize.transaction(async (transaction) => {
    const insert = (sql: string, replacements: Record<string, unknown>) =>
      sequelize.query<{ id: string }>(sql, { type: QueryTypes.SELECT, replacements, transaction });
    for (const person of demoEmployees) {
      const userId = await seedPerson(insert, person, passwordHash);
      await insert(
        `INSERT INTO business_employees (business_id, user_id, department, enrollment_status, enrolled_at, therapy_sessions_limit)
         SELECT id, :userId, :department, 'active', now() - interval '2 months', 8 FROM business_accounts WHERE company_name = :company RETURNING id`,
        { userId, department: person.employee!.department, company: demoCatalog.business.name },
      );
    }
  });
}

type Insert = (sql: string, replacements: Record<string, unknown>) => Promise<Array<{ id: string }>>;

async function seedCatalog(insert: Insert) {
  const ids = { specializations: new Map() as Ids, approaches: new Map() as Ids, appointmentTypes: new Map() as Ids };
  for (const [key, nameEn, nameEl, category] of demoCatalog.specializations) {
    const [row] = await insert(
      `INSERT INTO specializations (name_en, name_el, category) VALUES (:nameEn, :nameEl, :category)
       ON CONFLICT (name_en) DO UPDATE SET name_el = EXCLUDED.name_el RETURNING id`,
      { nameEn, nameEl, category },
    );
    ids.specializations.set(key, row!.id);
  }
  for (const [key, nameEn, nameEl, abbreviation] of demoCatalog.approaches) {
    const [row] = await insert(
      `INSERT INTO therapeutic_approaches (name_en, name_el, abbreviation) VALUES (:nameEn, :nameEl, :abbreviation)
       ON CONFLICT (name_en) DO UPDATE SET name_el = EXCLUDED.name_el RETURNING id`,
      { nameEn, nameEl, abbreviation },
    );
    ids.approaches.set(key, row!.id);
  }
  for (const [key, name, duration, isInitial, upfront] of demoCatalog.appointmentTypes) {
    const [row] = await insert(
      `INSERT INTO appointment_types (name, duration_minutes, is_initial_assessment, requires_payment_upfront)
       VALUES (:name, :duration, :isInitial, :upfront) RETURNING id`,
      { name, duration, isInitial, upfront },
    );
    ids.appointmentTypes.set(key, row!.id);
  }
  return ids;
}

async function seedPerson(insert: Insert, person: DemoPerson, passwordHash: string): Promise<string> {
  const [user] = await insert(
    `INSERT INTO users (email, email_normalized, password_hash, role, status, email_verified, email_verified_at)
     VALUES (:email, :email, :passwordHash, :role, 'active', true, now()) RETURNING id`,
    { email: person.email, passwordHash, role: person.role },
  );
  await insert(
    `INSERT INTO user_profiles (user_id, first_name, last_name, display_name, language, timezone)
     VALUES (:id, :firstName, :lastName, :displayName, :language, 'Europe/Athens') RETURNING user_id AS id`,
    { id: user!.id, firstName: person.firstName, lastName: person.lastName, displayName: person.displayName, language: person.language },
  );
  if (person.role === 'client') {
    await insert(`INSERT INTO client_profiles (user_id, occupation) VALUES (:id, :occupation) RETURNING user_id AS id`, {
      id: user!.id,
      occupation: person.occupation ?? null,
    });
  }
  return user!.id;
}

async function seedTherapist(insert: Insert, userId: string, therapist: DemoTherapist, catalog: Awaited<ReturnType<typeof seedCatalog>>) {
  await insert(
    `INSERT INTO therapist_profiles (user_id, license_number, license_type, professional_title, bio, years_of_experience,
       offers_online_therapy, offers_in_person_therapy, is_verified, verified_at, is_active)
     VALUES (:userId, :license, 'Άδεια ασκήσεως επαγγέλματος ψυχολόγου', :title, :bio, :years, :online, :inPerson, true, now(), true)
     RETURNING user_id AS id`,
    { userId, license: therapist.license, title: therapist.title, bio: therapist.bio, years: therapist.years, online: therapist.online, inPerson: therapist.inPerson },
  );
  for (const [index, key] of therapist.specializations.entries()) {
    await insert(
      `INSERT INTO therapist_specializations (therapist_id, specialization_id, years_experience, is_primary)
       VALUES (:userId, :id, :years, :primary) RETURNING therapist_id AS id`,
      { userId, id: catalog.specializations.get(key), years: therapist.years, primary: index === 0 },
    );
  }
  for (const key of therapist.approaches) {
    await insert(
      `INSERT INTO therapist_approaches (therapist_id, approach_id, proficiency_level) VALUES (:userId, :id, 'expert') RETURNING therapist_id AS id`,
      { userId, id: catalog.approaches.get(key) },
    );
  }
  for (const [code, level] of therapist.languages) {
    await insert(
      `INSERT INTO therapist_languages (therapist_id, language_code, proficiency_level) VALUES (:userId, :code, :level) RETURNING therapist_id AS id`,
      { userId, code, level },
    );
  }
  const [location] = await insert(
    `INSERT INTO therapist_locations (therapist_id, practice_name, address_line1, city, postal_code, latitude, longitude)
     VALUES (:userId, :practice, :address, :city, :postalCode, :lat, :lng) RETURNING id`,
    { userId, ...therapist.location },
  );
  for (const day of [1, 2, 3, 4, 5]) {
    for (const [start, end] of therapist.hours) {
      await insert(
        `INSERT INTO availability_templates (therapist_id, day_of_week, start_time, end_time, location_id, session_type)
         VALUES (:userId, :day, :start, :end, :locationId, :sessionType) RETURNING id`,
        { userId, day, start, end, locationId: location!.id, sessionType: therapist.inPerson ? 'both' : 'online' },
      );
    }
  }
  for (const [typeKey, amount] of therapist.rates) {
    await insert(
      `INSERT INTO therapist_rates (therapist_id, appointment_type_id, rate_amount, effective_from, corporate_rate,
         sliding_scale_available, sliding_scale_minimum)
       VALUES (:userId, :typeId, :amount, date_trunc('year', now())::date, :corporate, true, :minimum) RETURNING id`,
      { userId, typeId: catalog.appointmentTypes.get(typeKey), amount, corporate: amount - 10, minimum: Math.round(amount * 0.6) },
    );
  }
}

async function seedBusiness(insert: Insert) {
  const [business] = await insert(
    `INSERT INTO business_accounts (company_name, company_tax_id, industry, employee_count_range, billing_email, plan_type,
       plan_employee_limit, contract_start_date, status)
     VALUES (:name, '094012345', 'Λογισμικό', '50-200', 'billing@akropolis-tech.gr', 'professional', 200, date_trunc('year', now())::date, 'active')
     RETURNING id`,
    { name: demoCatalog.business.name },
  );
  for (const person of demoPeople) {
    const [user] = await insert(`SELECT id FROM users WHERE email_normalized = :email`, { email: person.email });
    if (person.role === 'business_admin') {
      await insert(`INSERT INTO business_admins (business_id, user_id, role) VALUES (:businessId, :userId, 'hr_admin') RETURNING user_id AS id`, {
        businessId: business!.id,
        userId: user!.id,
      });
    }
    if (person.role === 'client' && person.employee) {
      await insert(
        `INSERT INTO business_employees (business_id, user_id, department, enrollment_status, enrolled_at, therapy_sessions_limit)
         VALUES (:businessId, :userId, :department, 'active', now(), 8) RETURNING id`,
        { businessId: business!.id, userId: user!.id, department: person.employee.department },
      );
    }
  }
}

/** A client already in care, so the demo shows a schedule, a history and a message thread. */
async function seedCare(sequelize: Sequelize, appointmentTypes: Ids, transaction: Transaction) {
  const { care } = demoCatalog;
  const [minutes] = demoCatalog.appointmentTypes.filter(([key]) => key === care.appointmentType).map(([, , duration]) => duration);
  for (const session of care.sessions) {
    await insertDemoAppointment(
      sequelize,
      { client: care.client, therapist: care.therapist, days: session.daysFromToday, hour: 10, status: session.status, typeId: appointmentTypes.get(care.appointmentType)!, minutes: minutes! },
      transaction,
    );
  }
}
