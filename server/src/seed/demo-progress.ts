import { QueryTypes, type Sequelize } from 'sequelize';
import { runAsUser } from '../database/index.js';
import type { SyncService } from '../sync/index.js';
import type { DemoActivityDeps } from './demo-activity.js';

const MARIA = 'maria.client@demo.therapyfield.gr';
const ELENI = 'eleni.therapist@demo.therapyfield.gr';

/** A therapist who registered this week and waits for an admin to check the license. */
export const demoUnverifiedTherapist = {
  email: 'christina.therapist@demo.therapyfield.gr',
  firstName: 'Χριστίνα',
  lastName: 'Αλεξίου',
  license: 'ΨΥΧ-ΑΘ-55120',
  title: 'Συμβουλευτική Ψυχολόγος',
};

/**
 * What the first demo month lacked: Maria's habits (with a month of logs) and goals, her treatment
 * plan with Eleni, a few notifications, and a therapist waiting for license verification. Runs
 * once: a database where Maria has a habit is left alone.
 */
export async function seedDemoProgress({ sequelize, cipher, sync }: DemoActivityDeps, passwordHash: () => Promise<string>): Promise<boolean> {
  const ids = await idsByEmail(sequelize, [MARIA, ELENI]);
  const maria = ids.get(MARIA);
  const eleni = ids.get(ELENI);
  if (!maria || !eleni) return false;
  const [existing] = await sequelize.query<{ count: string }>(`SELECT count(*) FROM habit_definitions WHERE user_id = :maria`, { type: QueryTypes.SELECT, replacements: { maria } });
  if (Number(existing!.count) > 0) return false;

  const habits = [
    { id: crypto.randomUUID(), name: 'Περπάτημα 30′', frequency: 'daily', targetCount: 1, unit: 'λεπτά', category: 'exercise', color: '#2f6f6a', isActive: true, every: 2 },
    { id: crypto.randomUUID(), name: 'Άσκηση αναπνοής 4-7-8', frequency: 'daily', targetCount: 2, unit: null, category: 'mindfulness', color: '#9a5b00', isActive: true, every: 1 },
    { id: crypto.randomUUID(), name: 'Χωρίς κινητό πριν τον ύπνο', frequency: 'weekly', targetCount: 5, unit: null, category: 'sleep', color: '#22524e', isActive: true, every: 3 },
  ];
  await push(sync, maria, 'habit_definitions', habits.map(({ every: _every, ...habit }) => habit));
  const logs = habits.flatMap((habit) =>
    Array.from({ length: 30 }, (_, day) => day)
      .filter((day) => day % habit.every === 0 && day > 0)
      .map((day) => ({ id: crypto.randomUUID(), habitId: habit.id, loggedAt: new Date(Date.now() - day * 86_400_000 - 5 * 3_600_000).toISOString(), completed: true, value: 1 })),
  );
  await push(sync, maria, 'habit_logs', logs);
  await push(sync, maria, 'goals', [
    goal('Να κοιμάμαι 7 ώρες τις καθημερινές', 'Σταθερή ώρα ύπνου και ξυπνήματος.', 60, 30, true),
    goal('Να μιλήσω στην οικογένεια για τα όριά μου', null, 20, 60, true),
    goal('Παρουσίαση στη δουλειά χωρίς κρίση πανικού', 'Με την άσκηση αναπνοής πριν ξεκινήσω.', 100, -3, false),
  ]);

  await sequelize.query(
    `INSERT INTO treatment_plans (client_id, therapist_id, start_date, review_date, status, presenting_problems, diagnoses, treatment_goals,
       interventions_planned, encryption_key_id, measurement_tools, expected_duration)
     VALUES (:maria, :eleni, (now() - interval '21 days')::date, (now() + interval '6 weeks')::date, 'active', :problems, :diagnoses, :goals,
       :interventions, :keyId, ARRAY['GAD-7', 'PHQ-9'], '12 εβδομάδες')`,
    {
      replacements: {
        maria,
        eleni,
        problems: cipher.encrypt('Άγχος στην εργασία, δυσκολία στον ύπνο, ένταση στις οικογενειακές σχέσεις.'),
        diagnoses: cipher.encrypt(JSON.stringify(['F41.1 Γενικευμένη αγχώδης διαταραχή'])),
        goals: cipher.encrypt('Μείωση του GAD-7 κάτω από 8· επτά ώρες ύπνου τις καθημερινές· διεκδικητική επικοινωνία στην οικογένεια.'),
        interventions: cipher.encrypt('Ψυχοεκπαίδευση, γνωστική αναδόμηση, τεχνικές χαλάρωσης, εκπαίδευση διεκδικητικότητας.'),
        keyId: cipher.currentKeyId,
      },
    },
  );

  for (const [userId, type, title, message, hoursAgo, read] of [
    [maria, 'appointment.reminder', 'Υπενθύμιση συνεδρίας', 'Έχετε συνεδρία με την Ελένη Παπαδάκη σε λίγες μέρες.', 5, false],
    [maria, 'message.received', 'Νέο μήνυμα', 'Η Ελένη Παπαδάκη σάς έστειλε μήνυμα.', 2, false],
    [eleni, 'appointment.requested', 'Νέο αίτημα συνεδρίας', 'Η Anna Schmidt ζήτησε συνεδρία για αύριο.', 20, false],
    [eleni, 'review.approved', 'Νέα κριτική', 'Μια κριτική σας δημοσιεύτηκε.', 48, true],
  ] as const) {
    await sequelize.query(
      `INSERT INTO notifications (user_id, type, title, message, is_read, read_at, created_at)
       VALUES (:userId, :type, :title, :message, :read, CASE WHEN :read THEN now() END, now() - make_interval(hours => :hoursAgo))`,
      { replacements: { userId, type, title, message, read, hoursAgo } },
    );
  }

  await seedUnverifiedTherapist(sequelize, await passwordHash());
  return true;
}

function goal(title: string, description: string | null, progress: number, inDays: number, shared: boolean) {
  const done = progress >= 100;
  return {
    id: crypto.randomUUID(),
    title,
    description,
    category: 'wellbeing',
    targetDate: new Date(Date.now() + inDays * 86_400_000).toISOString().slice(0, 10),
    progressType: 'percentage',
    currentProgress: progress,
    milestones: [],
    isCompleted: done,
    completedAt: done ? new Date(Date.now() - 4 * 86_400_000).toISOString() : null,
    sharedWithTherapist: shared,
  };
}

async function seedUnverifiedTherapist(sequelize: Sequelize, passwordHash: string): Promise<void> {
  const person = demoUnverifiedTherapist;
  await sequelize.transaction(async (transaction) => {
    const [user] = await sequelize.query<{ id: string }>(
      `INSERT INTO users (email, email_normalized, password_hash, role, status, email_verified, email_verified_at)
       VALUES (:email, :email, :passwordHash, 'therapist', 'active', true, now()) RETURNING id`,
      { type: QueryTypes.SELECT, replacements: { email: person.email, passwordHash }, transaction },
    );
    await sequelize.query(
      `INSERT INTO user_profiles (user_id, first_name, last_name, language, timezone) VALUES (:id, :firstName, :lastName, 'el', 'Europe/Athens')`,
      { replacements: { id: user!.id, firstName: person.firstName, lastName: person.lastName }, transaction },
    );
    await sequelize.query(
      `INSERT INTO therapist_profiles (user_id, license_number, license_type, professional_title, is_verified, is_active, created_at)
       VALUES (:id, :license, 'Άδεια ασκήσεως επαγγέλματος ψυχολόγου', :title, false, true, now() - interval '3 days')`,
      { replacements: { id: user!.id, license: person.license, title: person.title }, transaction },
    );
  });
}

async function idsByEmail(sequelize: Sequelize, emails: string[]): Promise<Map<string, string>> {
  const rows = await sequelize.query<{ id: string; email_normalized: string }>(`SELECT id, email_normalized FROM users WHERE email_normalized IN (:emails)`, {
    type: QueryTypes.SELECT,
    replacements: { emails },
  });
  return new Map(rows.map((row) => [row.email_normalized, row.id]));
}

/** Pushed as Maria's device would, through the app's connection and its row-level security. */
async function push(sync: SyncService, userId: string, collection: 'habit_definitions' | 'habit_logs' | 'goals', docs: Array<Record<string, unknown>>): Promise<void> {
  const user = { id: userId, role: 'client' as const };
  const { rejected } = await runAsUser(user, () => sync.push(user.id, collection, docs.map((doc) => ({ newDocumentState: { ...doc, _deleted: false }, assumedMasterState: null }))));
  if (rejected.length > 0) throw new Error(`demo ${collection} refused: ${JSON.stringify(rejected)}`);
}
