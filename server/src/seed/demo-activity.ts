import { QueryTypes, type Sequelize, type Transaction } from 'sequelize';
import type { CollectionName, Role } from '@therapy-field/sync';
import { runAsUser } from '../database/index.js';
import type { FieldCipher } from '../crypto/index.js';
import type { SyncService } from '../sync/index.js';
import { demoCatalog, demoEmployees } from './demo-catalog.js';

const email = {
  eleni: 'eleni.therapist@demo.therapyfield.gr',
  giorgos: 'giorgos.therapist@demo.therapyfield.gr',
  sofia: 'sofia.therapist@demo.therapyfield.gr',
  dimitris: 'dimitris.therapist@demo.therapyfield.gr',
  maria: 'maria.client@demo.therapyfield.gr',
  nikos: 'nikos.client@demo.therapyfield.gr',
  anna: 'anna.client@demo.therapyfield.gr',
  admin: 'admin@demo.therapyfield.gr',
  eleftheria: demoEmployees[0]!.email,
  kostas: demoEmployees[1]!.email,
  irini: demoEmployees[2]!.email,
  petros: demoEmployees[3]!.email,
  james: demoEmployees[4]!.email,
};

type Status = 'requested' | 'confirmed' | 'completed' | 'cancelled';

/**
 * Sessions at Athens wall-clock times relative to today: [client, therapist, days from today, hour, status].
 * No two share a day and hour, so no exclusion constraint is ever hit. Each company employee has
 * one session about three weeks ago and one in the coming days, so both months pass the
 * five-employee rule; Eleni has two sessions today and a request waiting.
 */
const sessions: Array<[keyof typeof email, keyof typeof email, number, number, Status]> = [
  ['maria', 'eleni', -21, 10, 'completed'],
  ['maria', 'eleni', -14, 10, 'completed'],
  ['nikos', 'giorgos', -22, 11, 'completed'],
  ['nikos', 'giorgos', 3, 11, 'confirmed'],
  ['eleftheria', 'eleni', -21, 12, 'completed'],
  ['eleftheria', 'eleni', 0, 12, 'confirmed'],
  ['kostas', 'eleni', -20, 16, 'completed'],
  ['kostas', 'eleni', 0, 16, 'confirmed'],
  ['irini', 'dimitris', -19, 13, 'completed'],
  ['irini', 'dimitris', 4, 13, 'confirmed'],
  ['petros', 'sofia', -18, 17, 'completed'],
  ['petros', 'sofia', 5, 17, 'confirmed'],
  ['james', 'sofia', -23, 9, 'completed'],
  ['james', 'sofia', -10, 9, 'cancelled'],
  ['james', 'sofia', 2, 9, 'confirmed'],
  ['anna', 'sofia', -12, 18, 'completed'],
  ['anna', 'eleni', 1, 11, 'requested'],
];

export interface DemoActivityDeps {
  sequelize: Sequelize;
  cipher: FieldCipher;
  sync: SyncService;
}

/** Books a session at an Athens wall-clock hour `days` from today; returns its id. */
export async function insertDemoAppointment(
  sequelize: Sequelize,
  session: { client: string; therapist: string; days: number; hour: number; status: Status; typeId: string; minutes: number },
  transaction?: Transaction,
): Promise<string> {
  const [row] = await sequelize.query<{ id: string }>(
    `WITH s AS (
       SELECT starts, starts + make_interval(mins => :minutes) AS ends
         FROM (SELECT (date_trunc('day', now() AT TIME ZONE 'Europe/Athens') + make_interval(days => :days, hours => :hour)) AT TIME ZONE 'Europe/Athens' AS starts) d
     )
     INSERT INTO appointments (client_id, therapist_id, appointment_type_id, scheduled_start, scheduled_end, status, is_online, actual_start, actual_end,
                               cancelled_at, cancellation_reason)
     SELECT c.id, t.id, :typeId, s.starts, s.ends, CAST(:status AS appointment_status), true,
            CASE WHEN :status = 'completed' THEN s.starts END, CASE WHEN :status = 'completed' THEN s.ends END,
            CASE WHEN :status = 'cancelled' THEN s.starts - interval '2 days' END, CASE WHEN :status = 'cancelled' THEN 'Ταξίδι για δουλειά' END
       FROM s, users c, users t WHERE c.email_normalized = :client AND t.email_normalized = :therapist
     RETURNING appointments.id`,
    { type: QueryTypes.SELECT, replacements: session, transaction },
  );
  return row!.id;
}

/**
 * A month of life in the demo: Maria's moods and journal (most shared with Eleni), her messages
 * with Eleni, Eleni's session notes, the company's employees in care, approved and pending
 * reviews. Wellness entries and messages go through the sync service, as a device's would (sealed,
 * in the change log). Runs once: a database where Maria has logged a mood is left alone.
 */
export async function seedDemoActivity({ sequelize, cipher, sync }: DemoActivityDeps): Promise<boolean> {
  const ids = await userIds(sequelize);
  const [logged] = await sequelize.query<{ count: string }>(`SELECT count(*) FROM mood_entries WHERE user_id = :maria`, {
    type: QueryTypes.SELECT,
    replacements: { maria: ids.maria },
  });
  if (Number(logged!.count) > 0) return false;

  const [type] = await sequelize.query<{ id: string; duration_minutes: number }>(
    `SELECT id, duration_minutes FROM appointment_types WHERE name = :name ORDER BY created_at LIMIT 1`,
    { type: QueryTypes.SELECT, replacements: { name: demoCatalog.appointmentTypes[1][1] } },
  );
  const appointments = new Map<string, string>();
  for (const [client, therapist, days, hour, status] of sessions) {
    const id = await insertDemoAppointment(sequelize, { client: email[client], therapist: email[therapist], days, hour, status, typeId: type!.id, minutes: type!.duration_minutes });
    appointments.set(`${client}:${days}`, id);
  }
  // Rows written here rather than through booking: the company's per-employee tally follows them.
  await sequelize.query(
    `UPDATE business_employees be SET therapy_sessions_used = (SELECT count(*) FROM appointments a WHERE a.client_id = be.user_id AND a.status = 'completed')
      WHERE be.business_id IN (SELECT id FROM business_accounts WHERE company_name = :company)`,
    { replacements: { company: demoCatalog.business.name } },
  );
  const [lastWeek] = await sequelize.query<{ id: string }>(
    `SELECT id FROM appointments WHERE client_id = :maria AND status = 'completed' ORDER BY scheduled_start DESC LIMIT 1`,
    { type: QueryTypes.SELECT, replacements: { maria: ids.maria } },
  );
  appointments.set('maria:-7', lastWeek!.id);

  await push(sync, { id: ids.maria, role: 'client' }, 'mood_entries', moods());
  await push(sync, { id: ids.maria, role: 'client' }, 'journal_entries', journal());
  for (const [from, to, hoursAgo, body] of conversation) {
    await push(sync, { id: ids[from], role: from === 'maria' ? 'client' : 'therapist' }, 'messages', [{ id: crypto.randomUUID(), recipientId: ids[to], body, createdAt: hoursBefore(hoursAgo) }]);
  }
  // Read, all but Eleni's latest: Maria has one message waiting.
  await sequelize.query(`UPDATE messages SET read_at = created_at + interval '20 minutes' WHERE created_at < now() - interval '3 hours'`);

  for (const [days, signed, content] of notes) {
    await sequelize.query(
      `INSERT INTO session_notes (appointment_id, therapist_id, client_id, note_type, therapeutic_approach, content, interventions, encryption_key_id, is_signed, signed_at)
       VALUES (:appointmentId, :eleni, :maria, 'soap', 'CBT', :content, ARRAY['CBT-CR', 'PSYED'], :keyId, :signed, CASE WHEN :signed THEN now() END)`,
      {
        replacements: {
          appointmentId: appointments.get(`maria:${days}`),
          eleni: ids.eleni,
          maria: ids.maria,
          content: cipher.encrypt(JSON.stringify(content)),
          keyId: cipher.currentKeyId,
          signed,
        },
      },
    );
  }

  for (const [client, days, rating, comment, status, anonymous] of reviews) {
    await sequelize.query(
      `INSERT INTO reviews (appointment_id, therapist_id, client_id, rating, comment, is_anonymous, status, moderated_by, moderated_at)
       SELECT a.id, a.therapist_id, a.client_id, :rating, :comment, :anonymous, CAST(:status AS review_status),
              CASE WHEN :status = 'approved' THEN CAST(:admin AS uuid) END, CASE WHEN :status = 'approved' THEN now() END
         FROM appointments a WHERE a.id = :appointmentId`,
      { replacements: { appointmentId: appointments.get(`${client}:${days}`), rating, comment, anonymous, status, admin: ids.admin } },
    );
  }
  return true;
}

async function userIds(sequelize: Sequelize): Promise<Record<keyof typeof email, string>> {
  const rows = await sequelize.query<{ id: string; email_normalized: string }>(`SELECT id, email_normalized FROM users WHERE email_normalized IN (:emails)`, {
    type: QueryTypes.SELECT,
    replacements: { emails: Object.values(email) },
  });
  const byEmail = new Map(rows.map((row) => [row.email_normalized, row.id]));
  return Object.fromEntries(Object.entries(email).map(([key, address]) => [key, byEmail.get(address)!])) as Record<keyof typeof email, string>;
}

/** Pushed as the user would, through the app's connection and its row-level security. */
async function push(sync: SyncService, user: { id: string; role: Role }, collection: CollectionName, docs: Array<Record<string, unknown>>): Promise<void> {
  const { rejected } = await runAsUser(user, () => sync.push(user.id, collection, docs.map((doc) => ({ newDocumentState: { ...doc, _deleted: false }, assumedMasterState: null }))));
  if (rejected.length > 0) throw new Error(`demo ${collection} refused: ${JSON.stringify(rejected)}`);
}

const hoursBefore = (hours: number) => new Date(Date.now() - hours * 3_600_000).toISOString();

const emotionsByMood: string[][] = [['sad', 'tired'], ['anxious', 'stressed'], ['tired', 'calm'], ['calm', 'hopeful'], ['happy', 'grateful']];
const moodNotes = [
  'Δύσκολη μέρα στη δουλειά, πολύ άγχος πριν τη σύσκεψη.',
  'Περπάτημα στη θάλασσα, ένιωσα πιο ήρεμη.',
  'Κοιμήθηκα άσχημα, ξύπνησα πολλές φορές.',
  'Έκανα την άσκηση αναπνοής πριν κοιμηθώ.',
  'Καλή κουβέντα με την αδερφή μου.',
  'Ένιωσα ότι τα κατάφερα στην παρουσίαση.',
];

/** 30 days, one entry a day and a second on some: a slow climb with weekday dips, like real logs. */
function moods(): Array<Record<string, unknown>> {
  const entries: Array<Record<string, unknown>> = [];
  for (let day = 29; day >= 0; day--) {
    const times = day % 3 === 0 ? [9, 21] : [20];
    for (const hour of times) {
      const base = 4 + (29 - day) / 10 + 1.6 * Math.sin(day / 2.3) + (hour === 9 ? -0.5 : 0.5);
      const moodScore = Math.max(1, Math.min(10, Math.round(base)));
      const at = new Date(Date.now() - day * 86_400_000);
      at.setUTCHours(hour - 2, 15, 0, 0);
      if (at.getTime() > Date.now()) continue;
      entries.push({
        id: crypto.randomUUID(),
        recordedAt: at.toISOString(),
        moodScore,
        energyLevel: Math.max(1, Math.min(10, moodScore + (day % 2 === 0 ? -1 : 1))),
        anxietyLevel: Math.max(1, Math.min(10, 11 - moodScore - (day % 4 === 0 ? 1 : 0))),
        sleepQuality: Math.max(1, Math.min(10, moodScore + (day % 5 === 0 ? -2 : 0))),
        emotions: emotionsByMood[Math.min(4, Math.floor(moodScore / 2))],
        notes: day % 4 === 1 ? moodNotes[day % moodNotes.length] : null,
        sharedWithTherapist: day % 7 !== 3,
      });
    }
  }
  return entries;
}

function journal(): Array<Record<string, unknown>> {
  const texts: Array<[days: number, title: string, content: string, shared: boolean]> = [
    [28, 'Πρώτη εβδομάδα', 'Αποφάσισα να ξεκινήσω θεραπεία. Νιώθω αμήχανα αλλά και ανακούφιση που το είπα δυνατά.', true],
    [24, 'Άγχος στο μετρό', 'Σήμερα ένιωσα ταχυκαρδία στο μετρό. Θυμήθηκα την αναπνοή 4-7-8 και πέρασε σε λίγα λεπτά.', true],
    [20, 'Σκέψεις', 'Πρόσεξα ότι όταν κουράζομαι κάνω πιο αρνητικές σκέψεις για τον εαυτό μου.', false],
    [16, 'Μικρές νίκες', 'Είπα «όχι» σε μια επιπλέον εργασία. Δεν χάλασε ο κόσμος.', true],
    [12, 'Οικογένεια', 'Το τραπέζι της Κυριακής ήταν δύσκολο. Θέλω να το συζητήσω στη συνεδρία.', true],
    [8, 'Ύπνος', 'Τρεις νύχτες χωρίς κινητό πριν τον ύπνο. Κοιμάμαι καλύτερα.', false],
    [4, 'Δουλειά', 'Η παρουσίαση πήγε καλά. Το άγχος ήταν εκεί αλλά δεν με σταμάτησε.', true],
    [1, 'Στόχοι', 'Για την επόμενη εβδομάδα: περπάτημα τρεις φορές, ημερολόγιο κάθε βράδυ.', true],
  ];
  return texts.map(([days, title, content, shared]) => ({
    id: crypto.randomUUID(),
    title,
    content,
    sharedWithTherapist: shared,
    createdAt: new Date(Date.now() - days * 86_400_000 - 3 * 3_600_000).toISOString(),
  }));
}

const conversation: Array<[from: keyof typeof email, to: keyof typeof email, hoursAgo: number, body: string]> = [
  ['maria', 'eleni', 70, 'Καλησπέρα κυρία Παπαδάκη, μπορούμε να μιλήσουμε την επόμενη φορά για τον ύπνο μου;'],
  ['eleni', 'maria', 68, 'Καλησπέρα Μαρία, φυσικά. Κρατήστε ως τότε σημειώσεις στο ημερολόγιο για το πώς κοιμάστε.'],
  ['maria', 'eleni', 30, 'Έκανα την άσκηση αναπνοής πριν την παρουσίαση και βοήθησε πολύ!'],
  ['eleni', 'maria', 2, 'Υπέροχα νέα. Θα το δούμε μαζί στη συνεδρία μας.'],
];

const notes: Array<[days: number, signed: boolean, content: Record<string, string>]> = [
  [-21, true, {
    subjective: 'Αναφέρει έντονο άγχος στη δουλειά και δυσκολία στον ύπνο τις τελευταίες εβδομάδες.',
    objective: 'Ήρεμη, συνεργάσιμη, καλή επαφή. Ελαφρά ανησυχία όταν μιλά για την εργασία.',
    assessment: 'Συμπτώματα γενικευμένου άγχους, ήπια έως μέτρια. Καλά κίνητρα για θεραπεία.',
    plan: 'Ψυχοεκπαίδευση για το άγχος, ημερολόγιο διάθεσης, άσκηση αναπνοής 4-7-8.',
  }],
  [-14, true, {
    subjective: 'Κράτησε ημερολόγιο όλη την εβδομάδα. Ο ύπνος βελτιώθηκε λίγο.',
    objective: 'Πιο χαλαρή από την προηγούμενη συνεδρία.',
    assessment: 'Καλή ανταπόκριση στις τεχνικές χαλάρωσης. Αυτόματες αρνητικές σκέψεις όταν κουράζεται.',
    plan: 'Γνωστική αναδόμηση: καταγραφή σκέψεων. Συνέχιση αναπνοών.',
  }],
  [-7, false, {
    subjective: 'Αναφέρει επιτυχημένη παρουσίαση στη δουλειά παρά το άγχος.',
    objective: 'Χαμογελαστή, μιλά με αυτοπεποίθηση.',
    assessment: 'Πρόοδος στη διαχείριση του άγχους.',
    plan: 'Θέματα οικογένειας την επόμενη φορά.',
  }],
];

const reviews: Array<[client: keyof typeof email, days: number, rating: number, comment: string, status: 'approved' | 'pending', anonymous: boolean]> = [
  ['maria', -21, 5, 'Η κυρία Παπαδάκη με βοήθησε να καταλάβω το άγχος μου. Νιώθω ότι με ακούει πραγματικά.', 'approved', false],
  ['nikos', -22, 5, 'Πολύ επαγγελματίας, πρακτικές συμβουλές για την εξουθένωση στη δουλειά.', 'approved', false],
  ['anna', -12, 4, 'Warm and clear; online sessions work well for me.', 'approved', true],
  ['maria', -14, 5, 'Κάθε συνεδρία μού δίνει κάτι χρήσιμο για την εβδομάδα.', 'pending', false],
  ['kostas', -20, 3, 'Καλή θεραπεύτρια, αλλά θα ήθελα πιο απογευματινές ώρες.', 'pending', true],
];
