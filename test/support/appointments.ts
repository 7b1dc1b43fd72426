import { QueryTypes, type Sequelize } from 'sequelize';

export interface AppointmentSpec {
  therapistId: string;
  clientId: string;
  /** Minutes from now to the scheduled start (negative: already started). @default -5 */
  startsInMinutes?: number;
  /** @default 50 */
  durationMinutes?: number;
  /** @default 'confirmed' */
  status?: 'requested' | 'confirmed' | 'cancelled' | 'completed';
  /** @default true */
  isOnline?: boolean;
}

/** Inserts an appointment directly (scheduling lives elsewhere); returns its id. */
export async function createAppointment(sequelize: Sequelize, spec: AppointmentSpec): Promise<string> {
  const start = new Date(Date.now() + (spec.startsInMinutes ?? -5) * 60_000);
  const end = new Date(start.getTime() + (spec.durationMinutes ?? 50) * 60_000);
  const [row] = await sequelize.query<{ id: string }>(
    `INSERT INTO appointments (therapist_id, client_id, scheduled_start, scheduled_end, status, is_online)
     VALUES (:therapistId, :clientId, :start, :end, :status, :isOnline) RETURNING id`,
    {
      type: QueryTypes.SELECT,
      replacements: { therapistId: spec.therapistId, clientId: spec.clientId, start, end, status: spec.status ?? 'confirmed', isOnline: spec.isOnline ?? true },
    },
  );
  return row!.id;
}

export async function appointmentTimes(sequelize: Sequelize, id: string): Promise<{ actualStart: Date | null; actualEnd: Date | null }> {
  const [row] = await sequelize.query<{ actualStart: Date | null; actualEnd: Date | null }>(
    `SELECT actual_start AS "actualStart", actual_end AS "actualEnd" FROM appointments WHERE id = :id`,
    { type: QueryTypes.SELECT, replacements: { id } },
  );
  return row!;
}
