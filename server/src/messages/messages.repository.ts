import { QueryTypes, type Sequelize } from 'sequelize';
import type { Conversation } from '@therapy-field/sync';
import type { PagePosition } from '../http/index.js';

interface ConversationRow {
  peer_id: string;
  peer_name: string | null;
  last_message_at: Date | null;
  unread_count: string;
}

/** Messages between `:me` and `:peer`, both directions, not deleted by their sender. */
const BETWEEN = `deleted_at IS NULL AND ((sender_id = :me AND recipient_id = :peer) OR (sender_id = :peer AND recipient_id = :me))`;

/** Queries on `messages`; each is scoped to the caller (`me`) and one peer at most. */
export class MessagesRepository {
  constructor(private readonly sequelize: Sequelize) {}

  /**
   * Everyone the caller may message (migration 0400's `may_message`) or has messages with, with
   * the last message's time and the peer's unread messages; most recent first.
   */
  async conversations(me: string): Promise<Conversation[]> {
    const rows = await this.sequelize.query<ConversationRow>(
      `WITH peers AS (
         SELECT CASE WHEN sender_id = :me THEN recipient_id ELSE sender_id END AS peer_id
           FROM messages WHERE :me IN (sender_id, recipient_id) AND deleted_at IS NULL
         UNION
         SELECT CASE WHEN client_id = :me THEN therapist_id ELSE client_id END
           FROM appointments WHERE :me IN (client_id, therapist_id) AND status IN ('confirmed', 'completed')
       )
       SELECT p.peer_id,
              COALESCE(up.display_name, up.first_name || ' ' || up.last_name) AS peer_name,
              (SELECT max(m.created_at) FROM messages m
                WHERE m.deleted_at IS NULL AND ((m.sender_id = :me AND m.recipient_id = p.peer_id) OR (m.sender_id = p.peer_id AND m.recipient_id = :me))) AS last_message_at,
              (SELECT count(*) FROM messages m
                WHERE m.sender_id = p.peer_id AND m.recipient_id = :me AND m.read_at IS NULL AND m.deleted_at IS NULL) AS unread_count
         FROM peers p LEFT JOIN user_profiles up ON up.user_id = p.peer_id
        ORDER BY last_message_at DESC NULLS LAST, p.peer_id`,
      { type: QueryTypes.SELECT, replacements: { me } },
    );
    return rows.map((row) => ({
      peerId: row.peer_id,
      peerName: row.peer_name,
      lastMessageAt: row.last_message_at?.toISOString() ?? null,
      unreadCount: Number(row.unread_count),
    }));
  }

  /** Whether the two may message, or already have messages to read. */
  async isConversation(me: string, peer: string): Promise<boolean> {
    const [row] = await this.sequelize.query<{ found: boolean }>(
      `SELECT may_message(:me, :peer) OR EXISTS (SELECT 1 FROM messages WHERE ${BETWEEN}) AS found`,
      { type: QueryTypes.SELECT, replacements: { me, peer } },
    );
    return row?.found === true;
  }

  /** Ids of one page, newest first, strictly older than `after`; one extra row tells whether more exist. */
  async pageIds(me: string, peer: string, limit: number, after?: PagePosition): Promise<{ ids: string[]; last?: PagePosition }> {
    const rows = await this.sequelize.query<{ id: string; created_at_text: string }>(
      `SELECT id, created_at::text AS created_at_text FROM messages
        WHERE ${BETWEEN} ${after ? 'AND (created_at, id) < (CAST(:createdAt AS timestamptz), CAST(:id AS uuid))' : ''}
        ORDER BY created_at DESC, id DESC
        LIMIT :limit`,
      { type: QueryTypes.SELECT, replacements: { me, peer, limit: limit + 1, createdAt: after?.createdAt ?? null, id: after?.id ?? null } },
    );
    const last = rows.length > limit ? rows[limit - 1] : undefined;
    return { ids: rows.slice(0, limit).map((row) => row.id), last: last && { createdAt: last.created_at_text, id: last.id } };
  }

  /** Sets `read_at` on the peer's unread messages to the caller; returns how many. */
  async markRead(me: string, peer: string): Promise<number> {
    const rows = await this.sequelize.query<{ id: string }>(
      `UPDATE messages SET read_at = now()
        WHERE sender_id = :peer AND recipient_id = :me AND read_at IS NULL AND deleted_at IS NULL
        RETURNING id`,
      { type: QueryTypes.SELECT, replacements: { me, peer } },
    );
    return rows.length;
  }
}
