import { z } from 'zod';
import { defineCollection, type DocOf } from './define-collection.js';
import { checkLoggedAt, idField, labelListField, scoreField, timestampField } from './shapes.js';

/** Append-only: see sync/README.md. */
export const moodEntries = defineCollection({
  name: 'mood_entries',
  access: 'read-write',
  indexes: ['recordedAt'],
  schema: z.object({
    id: idField,
    userId: idField.nullish(),
    recordedAt: timestampField,
    moodScore: scoreField,
    energyLevel: scoreField.nullish(),
    anxietyLevel: scoreField.nullish(),
    sleepQuality: scoreField.nullish(),
    emotions: labelListField.nullish(),
    activities: labelListField.nullish(),
    notes: z.string().max(2000).nullish(),
    sharedWithTherapist: z.boolean(),
    updatedAt: timestampField.nullish(),
  }),
  check: (doc, now) => checkLoggedAt('recordedAt', doc.recordedAt, now),
});
export type MoodEntry = DocOf<typeof moodEntries>;

/** Edited on several devices: a three-way merge that never loses text (sync/README.md). */
export const journalEntries = defineCollection({
  name: 'journal_entries',
  access: 'read-write',
  schema: z.object({
    id: idField,
    userId: idField.nullish(),
    title: z.string().max(200).nullish(),
    content: z.string().max(100_000),
    moodScore: scoreField.nullish(),
    tags: labelListField.nullish(),
    sharedWithTherapist: z.boolean(),
    createdAt: timestampField,
    updatedAt: timestampField.nullish(),
  }),
  check: (doc, now) => checkLoggedAt('createdAt', doc.createdAt, now),
});
export type JournalEntry = DocOf<typeof journalEntries>;

export const habitDefinitions = defineCollection({
  name: 'habit_definitions',
  access: 'read-write',
  schema: z.object({
    id: idField,
    userId: idField.nullish(),
    name: z.string().min(1).max(100),
    description: z.string().max(2000).nullish(),
    frequency: z.enum(['daily', 'weekly', 'custom']).nullish(),
    targetCount: z.number().int().min(1).max(10_000).nullish(),
    unit: z.string().max(50).nullish(),
    category: z.string().max(50).nullish(),
    color: z.string().regex(/^#[0-9A-Fa-f]{6}$/).nullish(),
    isActive: z.boolean(),
    updatedAt: timestampField.nullish(),
  }),
});
export type HabitDefinition = DocOf<typeof habitDefinitions>;

/** Append-only, like mood entries. */
export const habitLogs = defineCollection({
  name: 'habit_logs',
  access: 'read-write',
  schema: z.object({
    id: idField,
    habitId: idField,
    userId: idField.nullish(),
    loggedAt: timestampField,
    completed: z.boolean(),
    value: z.number().min(-1e9).max(1e9).nullish(),
    notes: z.string().max(2000).nullish(),
    updatedAt: timestampField.nullish(),
  }),
  check: (doc, now) => checkLoggedAt('loggedAt', doc.loggedAt, now),
});
export type HabitLog = DocOf<typeof habitLogs>;

/** Edited on several devices: three-way merge of text fields, like journal entries. */
export const goals = defineCollection({
  name: 'goals',
  access: 'read-write',
  schema: z.object({
    id: idField,
    userId: idField.nullish(),
    title: z.string().min(1).max(200),
    description: z.string().max(5000).nullish(),
    category: z.string().max(50).nullish(),
    targetDate: z.iso.date().nullish(),
    progressType: z.enum(['percentage', 'milestone', 'binary']).nullish(),
    currentProgress: z.number().min(0).max(1e9),
    milestones: z.array(z.object({ title: z.string().min(1).max(200), done: z.boolean() })).max(50),
    isCompleted: z.boolean(),
    completedAt: timestampField.nullish(),
    sharedWithTherapist: z.boolean(),
    updatedAt: timestampField.nullish(),
  }),
});
export type Goal = DocOf<typeof goals>;
