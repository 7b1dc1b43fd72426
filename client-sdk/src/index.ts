export { createClient, type ClientOptions, type TherapyFieldClient } from './client.js';
export type { AuthApi } from './auth.js';
export type { Session } from './http.js';
export type { RestApi } from './rest.js';
export type { LiveEvents } from './live.js';
export type { SyncState } from './sync-engine.js';
export type { TherapyFieldDatabase, SyncedCollections } from './database.js';
export type { CollectionName, SyncDocuments, MoodEntry, JournalEntry, HabitDefinition, HabitLog, Goal, NotificationDoc, AppointmentDoc } from '@therapy-field/sync';
