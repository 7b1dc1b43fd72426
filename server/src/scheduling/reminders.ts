import { QueryTypes, type Sequelize, type Transaction } from 'sequelize';
import { formatWhen, renderReminderSms, type EmailQueue } from '../email/index.js';
import type { AppointmentRow, Participant } from './scheduling.repository.js';

/**
 * Puts an appointment's reminders into the delivery queues, due at `start − offset`: one per
 * configured offset, by email to each party who has not turned reminder emails off and by SMS to
 * those with a phone. Each has a dedupe key `appointment:<id>:reminder:…`, so scheduling twice
 * queues nothing new, and removing the pending ones of an appointment is one prefix match.
 */
export class ReminderScheduler {
  constructor(
    private readonly sequelize: Sequelize,
    private readonly emails: EmailQueue,
    private readonly offsetsMinutes: number[],
  ) {}

  async schedule(appointment: AppointmentRow, zone: string, people: Participant[], transaction: Transaction, now = new Date()): Promise<void> {
    const client = people.find((person) => person.id === appointment.client_id);
    const therapist = people.find((person) => person.id === appointment.therapist_id);
    if (!client || !therapist) return;
    const start = appointment.scheduled_start.toISOString();
    for (const offset of this.offsetsMinutes) {
      const dueAt = new Date(appointment.scheduled_start.getTime() - offset * 60_000);
      if (dueAt <= now) continue;
      for (const [person, otherParty] of [[client, therapist], [therapist, client]] as const) {
        const when = formatWhen(start, zone, person.language);
        const key = `${reminderPrefix(appointment.id)}${offset}m:${person.id}`;
        const other = `${otherParty.first_name} ${otherParty.last_name}`;
        if (person.email_reminders) {
          await this.emails.enqueue(
            {
              userId: person.id,
              to: person.email,
              template: 'appointment_reminder',
              language: person.language,
              data: { name: person.first_name, otherParty: other, when, online: appointment.is_online },
              dedupeKey: `${key}:email`,
              scheduledFor: dueAt,
            },
            transaction,
          );
        }
        if (person.phone) {
          await this.sequelize.query(
            `INSERT INTO sms_queue (user_id, to_phone, message, template, language, dedupe_key, scheduled_for)
             VALUES (:userId, :phone, :message, 'appointment_reminder', :language, :dedupeKey, :dueAt)
             ON CONFLICT (dedupe_key) DO NOTHING`,
            {
              type: QueryTypes.INSERT,
              transaction,
              replacements: {
                userId: person.id,
                phone: person.phone,
                message: renderReminderSms(person.language, { otherParty: other, when }),
                language: person.language,
                dedupeKey: `${key}:sms`,
                dueAt,
              },
            },
          );
        }
      }
    }
  }

  /** Drops the reminders of an appointment that have not been sent yet. */
  async remove(appointmentId: string, transaction: Transaction): Promise<void> {
    for (const queue of ['email_queue', 'sms_queue']) {
      await this.sequelize.query(`DELETE FROM ${queue} WHERE status = 'pending' AND dedupe_key LIKE :prefix`, {
        replacements: { prefix: `${reminderPrefix(appointmentId)}%` },
        transaction,
      });
    }
  }
}

export function reminderPrefix(appointmentId: string): string {
  return `appointment:${appointmentId}:reminder:`;
}
