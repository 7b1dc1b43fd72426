import { QueryTypes, type Sequelize } from 'sequelize';

/** What the refresher needs from scheduling: the earliest bookable start of a session length. */
export interface NextSlotSource {
  nextFreeSlot(therapistId: string, durationMinutes: number, withinDays: number): Promise<Date | null>;
}

/** How far ahead a next free slot is looked for; beyond it a therapist shows none. */
export const NEXT_SLOT_HORIZON_DAYS = 60;
/** A checked slot is asked for again after this long even if nothing changed (time moves, notice windows pass). */
const RECHECK_MINUTES = 10;

/**
 * Keeps `therapist_search_documents.next_free_slot` current from the scheduling rules (the one
 * slot computation there is): documents whose schedule changed (migration 1400 clears
 * `next_slot_checked_at`), whose slot has passed or whose check is old are refreshed in batches.
 * Run as the system (a job, or a test).
 */
export class NextSlotRefresher {
  constructor(
    private readonly sequelize: Sequelize,
    private readonly slots: NextSlotSource,
  ) {}

  /** Refreshes up to `batch` stale documents; returns how many it refreshed. */
  async refreshStale(batch = 500): Promise<number> {
    const stale = await this.sequelize.query<{ therapist_id: string }>(
      `SELECT therapist_id FROM therapist_search_documents
        WHERE listed AND (next_slot_checked_at IS NULL OR next_free_slot < now()
                          OR next_slot_checked_at < now() - make_interval(mins => :recheck))
        ORDER BY next_slot_checked_at NULLS FIRST LIMIT :batch`,
      { type: QueryTypes.SELECT, replacements: { batch, recheck: RECHECK_MINUTES } },
    );
    if (stale.length === 0) return 0;
    const duration = await this.sessionMinutes();
    for (const { therapist_id: id } of stale) {
      const next = await this.slots.nextFreeSlot(id, duration, NEXT_SLOT_HORIZON_DAYS);
      await this.sequelize.query(
        `UPDATE therapist_search_documents SET next_free_slot = :next, next_slot_checked_at = now() WHERE therapist_id = :id`,
        { replacements: { id, next } },
      );
    }
    return stale.length;
  }

  /** The shortest active appointment type: the slot a new client can book first. */
  private async sessionMinutes(): Promise<number> {
    const [row] = await this.sequelize.query<{ minutes: number | null }>(
      `SELECT min(duration_minutes) AS minutes FROM appointment_types WHERE is_active`,
      { type: QueryTypes.SELECT },
    );
    return row?.minutes ?? 50;
  }
}
