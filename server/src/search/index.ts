import type { Sequelize } from 'sequelize';
import { NextSlotRefresher, type NextSlotSource } from './next-slots.js';
import { PostgresTherapistSearch } from './postgres/postgres-search.js';
import type { TherapistSearchBackend } from './search-backend.js';

export type { TherapistSearchBackend } from './search-backend.js';
export { NextSlotRefresher, NEXT_SLOT_HORIZON_DAYS, type NextSlotSource } from './next-slots.js';
export { PostgresTherapistSearch } from './postgres/postgres-search.js';

export interface SearchModuleDeps {
  sequelize: Sequelize;
  slots: NextSlotSource;
}

/** The directory search backend (PostgreSQL) and the refresher of its next-free-slot column. */
export function createSearchModule({ sequelize, slots }: SearchModuleDeps) {
  const backend: TherapistSearchBackend = new PostgresTherapistSearch(sequelize);
  return { backend, nextSlots: new NextSlotRefresher(sequelize, slots) };
}

export type SearchModule = ReturnType<typeof createSearchModule>;
