import { QueryTypes, type Sequelize, type Transaction } from 'sequelize';
import type { Change } from '@therapy-field/sync';

/** A numbered change with its recipient and global delivery position. */
export interface SequencedChange extends Change {
  recipientId: string;
  deliveryId: number;
  /** When the change was written, for delivery-lag metrics. */
  createdAt: Date;
}

interface ChangeRow {
  recipient_id: string;
  seq: string;
  delivery_id: string;
  collection: string;
  record_id: string;
  operation: 'upsert' | 'delete';
  created_at: Date;
}

const toChange = (row: ChangeRow): SequencedChange => ({
  recipientId: row.recipient_id,
  seq: Number(row.seq),
  deliveryId: Number(row.delivery_id),
  collection: row.collection,
  recordId: row.record_id,
  operation: row.operation,
  createdAt: row.created_at,
});

/** Only one sequencer or deliverer at a time, across every node on this database. */
const SEQUENCER_LOCK_KEY = 7_214_002;

export class ChangeLogRepository {
  constructor(private readonly sequelize: Sequelize) {}

  /** Runs `work` in a transaction that holds the sequencer lock (waiting for it if needed). */
  withSequencerLock<T>(work: (transaction: Transaction) => Promise<T>): Promise<T> {
    return this.sequelize.transaction(async (transaction) => {
      await this.sequelize.query('SELECT pg_advisory_xact_lock(:key)', { replacements: { key: SEQUENCER_LOCK_KEY }, transaction });
      return work(transaction);
    });
  }

  async sequencePending(batchSize: number, transaction: Transaction): Promise<number> {
    const [row] = await this.sequelize.query<{ numbered: number }>('SELECT sequence_change_log(:batchSize) AS numbered', {
      type: QueryTypes.SELECT,
      replacements: { batchSize },
      transaction,
    });
    return row!.numbered;
  }

  async undeliveredChanges(cursor: string, limit: number, transaction: Transaction): Promise<SequencedChange[]> {
    const rows = await this.sequelize.query<ChangeRow>(
      `SELECT recipient_id, seq, delivery_id, collection, record_id, operation, created_at
       FROM change_log
       WHERE delivery_id > COALESCE((SELECT delivery_id FROM change_log_cursors WHERE name = :cursor), 0)
       ORDER BY delivery_id
       LIMIT :limit`,
      { type: QueryTypes.SELECT, replacements: { cursor, limit }, transaction },
    );
    return rows.map(toChange);
  }

  async advanceCursor(cursor: string, deliveryId: number, transaction: Transaction): Promise<void> {
    await this.sequelize.query(
      `INSERT INTO change_log_cursors (name, delivery_id) VALUES (:cursor, :deliveryId)
       ON CONFLICT (name) DO UPDATE SET delivery_id = GREATEST(change_log_cursors.delivery_id, EXCLUDED.delivery_id)`,
      { replacements: { cursor, deliveryId }, transaction },
    );
  }

  async cursorPosition(cursor: string, transaction: Transaction): Promise<number> {
    const [row] = await this.sequelize.query<{ delivery_id: string }>('SELECT delivery_id FROM change_log_cursors WHERE name = :cursor', {
      type: QueryTypes.SELECT,
      replacements: { cursor },
      transaction,
    });
    return Number(row?.delivery_id ?? 0);
  }

  /** Rows not yet numbered or not yet delivered live: the change-log backlog. */
  async backlog(cursor: string): Promise<number> {
    const [row] = await this.sequelize.query<{ backlog: string }>(
      `SELECT (SELECT count(*) FROM change_log WHERE seq IS NULL)
            + (SELECT count(*) FROM change_log
               WHERE delivery_id > COALESCE((SELECT delivery_id FROM change_log_cursors WHERE name = :cursor), 0)) AS backlog`,
      { type: QueryTypes.SELECT, replacements: { cursor } },
    );
    return Number(row?.backlog ?? 0);
  }

  /** The newest seq of each recipient's change log (recipients without changes are left out). */
  async lastSeqs(recipientIds: string[]): Promise<Map<string, number>> {
    if (recipientIds.length === 0) return new Map();
    const rows = await this.sequelize.query<{ recipient_id: string; last_seq: string }>(
      'SELECT recipient_id, last_seq FROM change_log_recipients WHERE recipient_id = ANY(ARRAY[:recipientIds]::uuid[])',
      { type: QueryTypes.SELECT, replacements: { recipientIds } },
    );
    return new Map(rows.map((row) => [row.recipient_id, Number(row.last_seq)]));
  }

  /** Where a recipient's retained history starts and ends. */
  async recipientRange(recipientId: string): Promise<{ prunedThrough: number; lastSeq: number }> {
    const [row] = await this.sequelize.query<{ pruned_through: string; last_seq: string }>(
      'SELECT pruned_through, last_seq FROM change_log_recipients WHERE recipient_id = :recipientId',
      { type: QueryTypes.SELECT, replacements: { recipientId } },
    );
    return { prunedThrough: Number(row?.pruned_through ?? 0), lastSeq: Number(row?.last_seq ?? 0) };
  }

  async changesAfter(recipientId: string, afterSeq: number, limit: number, deliveredThrough?: number): Promise<SequencedChange[]> {
    const rows = await this.sequelize.query<ChangeRow>(
      `SELECT recipient_id, seq, delivery_id, collection, record_id, operation, created_at
       FROM change_log
       WHERE recipient_id = :recipientId AND seq > :afterSeq ${deliveredThrough === undefined ? '' : 'AND delivery_id <= :deliveredThrough'}
       ORDER BY seq
       LIMIT :limit`,
      { type: QueryTypes.SELECT, replacements: { recipientId, afterSeq, limit, deliveredThrough: deliveredThrough ?? null } },
    );
    return rows.map(toChange);
  }

  /** Deletes numbered rows older than `before`, remembering per recipient how far history is gone. */
  async pruneBefore(before: Date): Promise<void> {
    await this.sequelize.query(
      `WITH gone AS (
         DELETE FROM change_log WHERE created_at < :before AND seq IS NOT NULL
         RETURNING recipient_id, seq
       ), highest AS (
         SELECT recipient_id, max(seq) AS seq FROM gone GROUP BY recipient_id
       )
       UPDATE change_log_recipients r SET pruned_through = GREATEST(r.pruned_through, h.seq)
       FROM highest h WHERE r.recipient_id = h.recipient_id`,
      { replacements: { before } },
    );
  }
}
