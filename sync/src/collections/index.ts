import { appointments } from './appointments.js';
import { measureResponses } from './measures.js';
import { formResponses, intakeForms } from './intake-forms.js';
import { messages } from './messages.js';
import { notifications } from './notifications.js';
import { goals, habitDefinitions, habitLogs, journalEntries, moodEntries } from './wellness.js';

export * from './define-collection.js';
export * from './wellness.js';
export { notifications, type NotificationDoc } from './notifications.js';
export { appointments, type AppointmentDoc } from './appointments.js';
export { messages, MESSAGE_BODY_MAX_LENGTH, type MessageDoc } from './messages.js';
export { measureResponses, MEASURE_MAX_ITEMS, MEASURE_MAX_ITEM_VALUE, type MeasureResponseDoc } from './measures.js';
export { checkLoggedAt } from './shapes.js';
export * from './intake-forms.js';

/** Every collection a device replicates, by name. */
export const syncCollections = {
  mood_entries: moodEntries,
  journal_entries: journalEntries,
  habit_definitions: habitDefinitions,
  habit_logs: habitLogs,
  goals,
  notifications,
  appointments,
  messages,
  measure_responses: measureResponses,
  intake_forms: intakeForms,
  form_responses: formResponses,
} as const;

export type SyncCollections = typeof syncCollections;
export type CollectionName = keyof SyncCollections;
export const collectionNames = Object.keys(syncCollections) as CollectionName[];

/** The document type of a collection, by name. */
export interface SyncDocuments {
  mood_entries: import('./wellness.js').MoodEntry;
  journal_entries: import('./wellness.js').JournalEntry;
  habit_definitions: import('./wellness.js').HabitDefinition;
  habit_logs: import('./wellness.js').HabitLog;
  goals: import('./wellness.js').Goal;
  notifications: import('./notifications.js').NotificationDoc;
  appointments: import('./appointments.js').AppointmentDoc;
  messages: import('./messages.js').MessageDoc;
  measure_responses: import('./measures.js').MeasureResponseDoc;
  intake_forms: import('./intake-forms.js').IntakeFormDoc;
  form_responses: import('./intake-forms.js').FormResponseDoc;
}
