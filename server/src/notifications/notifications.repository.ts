import { QueryTypes, type Sequelize } from 'sequelize';
import type { Language, Notification } from '@therapy-field/sync';
import { byRecipient, requestPairs, type LoadedRecords, type LoadRequest } from '../realtime/index.js';

interface NotificationRow {
  id: string;
  type: string;
  title: string | null;
  message: string;
  data: Record<string, unknown>;
  is_read: boolean;
  read_at: Date | null;
  created_at: Date;
  /** created_at as PostgreSQL prints it, microseconds kept, for cursors. */
  created_at_text: string;
}

export interface NewNotification {
  userId: string;
  type: string;
  title: string;
  message: string;
  data: Record<string, unknown>;
}

export interface EmailRecipient {
  email: string;
  firstName: string;
  language: Language;
  /** The user's `email_new_messages` preference. */
  wantsMessageEmails: boolean;
}

const COLUMNS = 'id, type, title, message, data, is_read, read_at, created_at, created_at::text AS created_at_text';

const toNotification = (row: NotificationRow): Notification => ({
  id: row.id,
  type: row.type,
  title: row.title,
  message: row.message,
  data: row.data,
  isRead: row.is_read,
  readAt: row.read_at?.toISOString() ?? null,
  createdAt: row.created_at.toISOString(),
});

/** Queries on `notifications`; every one is scoped to the owning user. */
export class NotificationsRepository {
  constructor(private readonly sequelize: Sequelize) {}

  /** Newest first, strictly older than the cursor `(createdAt, id)`; one extra row tells whether more exist. */
  async page(userId: string, limit: number, after?: { createdAt: string; id: string }) {
    const rows = await this.sequelize.query<NotificationRow>(
      `SELECT ${COLUMNS} FROM notifications
       WHERE user_id = :userId ${after ? 'AND (created_at, id) < (CAST(:createdAt AS timestamptz), CAST(:id AS uuid))' : ''}
       ORDER BY created_at DESC, id DESC
       LIMIT :limit`,
      { type: QueryTypes.SELECT, replacements: { userId, limit: limit + 1, createdAt: after?.createdAt ?? null, id: after?.id ?? null } },
    );
    const last = rows.length > limit ? rows[limit - 1] : undefined;
    return { notifications: rows.slice(0, limit).map(toNotification), last: last && { createdAt: last.created_at_text, id: last.id } };
  }

  async unreadCount(userId: string): Promise<number> {
    const [row] = await this.sequelize.query<{ count: string }>('SELECT count(*) AS count FROM notifications WHERE user_id = :userId AND NOT is_read', {
      type: QueryTypes.SELECT,
      replacements: { userId },
    });
    return Number(row?.count ?? 0);
  }

  /** Marks one read (touching the row only if unread); undefined when it is not this user's. */
  async markRead(userId: string, id: string): Promise<Notification | undefined> {
    const [updated] = await this.sequelize.query<NotificationRow>(
      `UPDATE notifications SET is_read = TRUE, read_at = now() WHERE id = :id AND user_id = :userId AND NOT is_read RETURNING ${COLUMNS}`,
      { type: QueryTypes.SELECT, replacements: { userId, id } },
    );
    if (updated) return toNotification(updated);
    return (await this.visibleTo(userId, [id])).get(id);
  }

  async markAllRead(userId: string): Promise<number> {
    const rows = await this.sequelize.query('UPDATE notifications SET is_read = TRUE, read_at = now() WHERE user_id = :userId AND NOT is_read RETURNING id', {
      type: QueryTypes.SELECT,
      replacements: { userId },
    });
    return rows.length;
  }

  async visibleTo(userId: string, ids: string[]): Promise<Map<string, Notification>> {
    return ((await this.visibleToEach([{ recipientId: userId, recordIds: ids }])).get(userId) ?? new Map()) as Map<string, Notification>;
  }

  /** Each recipient's own notifications among the ids they asked for, in one query for the whole batch. */
  async visibleToEach(requests: LoadRequest[]): Promise<LoadedRecords> {
    const pairs = requestPairs(requests);
    if (pairs.recordIds.length === 0) return new Map();
    const rows = await this.sequelize.query<NotificationRow & { recipient_id: string }>(
      `SELECT requested.recipient_id, ${COLUMNS}
       FROM unnest(ARRAY[:recipientIds]::uuid[], ARRAY[:recordIds]::uuid[]) AS requested (recipient_id, record_id)
       JOIN notifications ON notifications.id = requested.record_id AND notifications.user_id = requested.recipient_id`,
      { type: QueryTypes.SELECT, replacements: pairs },
    );
    return byRecipient(rows, toNotification);
  }

  async insert(notifications: NewNotification[]): Promise<void> {
    if (notifications.length === 0) return;
    await this.sequelize.query(
      `INSERT INTO notifications (user_id, type, title, message, data) VALUES ${notifications.map(() => '(?, ?, ?, ?, ?::jsonb)').join(', ')}`,
      { replacements: notifications.flatMap((n) => [n.userId, n.type, n.title, n.message, JSON.stringify(n.data)]) },
    );
  }

  async locales(userIds: string[]): Promise<Map<string, { language: Language; timezone: string }>> {
    const rows = await this.sequelize.query<{ user_id: string; language: string; timezone: string }>(
      'SELECT user_id, language, timezone FROM user_profiles WHERE user_id IN (:userIds)',
      { type: QueryTypes.SELECT, replacements: { userIds } },
    );
    return new Map(rows.map((row) => [row.user_id, { language: toLanguage(row.language), timezone: row.timezone }]));
  }

  /** Where and how to email an active user; undefined for a suspended, deleted or unknown one. */
  async emailRecipient(userId: string): Promise<EmailRecipient | undefined> {
    const [row] = await this.sequelize.query<{ email: string; first_name: string; language: string; email_new_messages: boolean }>(
      `SELECT u.email, up.first_name, up.language, up.email_new_messages FROM users u JOIN user_profiles up ON up.user_id = u.id
        WHERE u.id = :userId AND u.status = 'active' AND u.deleted_at IS NULL`,
      { type: QueryTypes.SELECT, replacements: { userId } },
    );
    return row && { email: row.email, firstName: row.first_name, language: toLanguage(row.language), wantsMessageEmails: row.email_new_messages };
  }
}

/** Greek unless the profile says English. */
function toLanguage(value: string): Language {
  return value === 'en' ? 'en' : 'el';
}
