import { describe, expect, it } from 'vitest';
import {
  checkpointAfterChanges,
  checkpointAfterSnapshotPage,
  CONFLICT_SEPARATOR,
  conflictPolicies,
  decidePushRow,
  mergeText,
  moodEntries,
} from '@therapy-field/sync';
import { journalEntry, moodEntry } from './sync-fixtures.js';

describe('collection definitions', () => {
  it('derive the RxDB schema from the zod schema', () => {
    expect(moodEntries.rxSchema).toMatchObject({ primaryKey: 'id', version: 0, type: 'object', indexes: ['recordedAt'] });
    expect(moodEntries.rxSchema.required).toEqual(expect.arrayContaining(['id', 'recordedAt', 'moodScore', 'sharedWithTherapist']));
    expect(moodEntries.rxSchema.properties.moodScore).toMatchObject({ type: 'integer', minimum: 1, maximum: 10 });
    expect(moodEntries.rxSchema.properties.id).toMatchObject({ maxLength: 36 });
  });
});

describe('checkpoints', () => {
  it('stop at the last change of a full page and jump to the last seq after a short one', () => {
    expect(checkpointAfterChanges([4, 7, 9], 3, 20)).toEqual({ seq: 9 });
    expect(checkpointAfterChanges([4], 3, 20)).toEqual({ seq: 20 });
    expect(checkpointAfterSnapshotPage(30, ['a', 'b'], 2, 0)).toEqual({ seq: 0, snapshot: { targetSeq: 30, afterId: 'b' } });
    expect(checkpointAfterSnapshotPage(30, ['a'], 2, 0)).toEqual({ seq: 30 });
  });
});

describe('push decisions', () => {
  const policy = conflictPolicies.mood_entries;
  it('insert, unchanged (idempotent), conflict on a stale base or an append-only edit, update of the sharing flag', () => {
    const master = { ...moodEntry(), userId: 'u', updatedAt: '2024-01-01T00:00:00.000Z' };
    expect(decidePushRow({ newDocumentState: master }, undefined, policy)).toBe('insert');
    expect(decidePushRow({ newDocumentState: { ...master, updatedAt: null } }, master, policy)).toBe('unchanged');
    expect(decidePushRow({ newDocumentState: { ...master, sharedWithTherapist: true } }, master, policy)).toBe('conflict');
    expect(decidePushRow({ newDocumentState: { ...master, moodScore: 1 }, assumedMasterState: master }, master, policy)).toBe('conflict');
    expect(decidePushRow({ newDocumentState: { ...master, sharedWithTherapist: true }, assumedMasterState: master }, master, policy)).toBe('update');
  });
});

describe('push idempotency and a lost answer', () => {
  const policy = conflictPolicies.journal_entries;
  const base = { ...journalEntry({ content: 'Monday.' }), userId: 'u', updatedAt: '2024-01-01T00:00:00.000Z' };
  const first = { ...base, content: 'Monday. Slept badly.' };
  const second = { ...base, content: 'Monday. Slept badly. Therapy at 6.' };
  const firstWrite = { id: 'state-1', device: 'phone', base: 'state-0', at: 100 };

  it('a retry of the write the server holds is a no-op, even if the server spells it differently', () => {
    expect(decidePushRow({ newDocumentState: { ...first, title: 'respelled' }, assumedMasterState: base, write: { ...firstWrite, at: 200 } }, first, policy, firstWrite)).toBe('unchanged');
  });

  it("the server holding the device's own earlier push on the same base is that push's successor, not a conflict", () => {
    const write = { id: 'state-2', device: 'phone', base: 'state-0', at: 300 };
    expect(decidePushRow({ newDocumentState: second, assumedMasterState: base, write }, first, policy, firstWrite)).toBe('update');
    // Without the write ids the same row is a conflict (an old device, or another one).
    expect(decidePushRow({ newDocumentState: second, assumedMasterState: base }, first, policy, firstWrite)).toBe('conflict');
    expect(decidePushRow({ newDocumentState: second, assumedMasterState: base, write: { ...write, device: 'laptop' } }, first, policy, firstWrite)).toBe('conflict');
    // Based on another state, or older than what the server holds (a late duplicate): a conflict.
    expect(decidePushRow({ newDocumentState: second, assumedMasterState: base, write: { ...write, base: 'state-x' } }, first, policy, firstWrite)).toBe('conflict');
    expect(decidePushRow({ newDocumentState: second, assumedMasterState: base, write: { ...write, at: 50 } }, first, policy, firstWrite)).toBe('conflict');
    // A row written some other way (REST, the server) has no write: the usual rule.
    expect(decidePushRow({ newDocumentState: second, assumedMasterState: base, write }, first, policy, null)).toBe('conflict');
  });

  it('an immutable field still cannot change through the own-write rule', () => {
    const write = { id: 'state-2', device: 'phone', base: 'state-0', at: 300 };
    expect(decidePushRow({ newDocumentState: { ...second, createdAt: '2020-01-01T00:00:00.000Z' }, assumedMasterState: base, write }, first, policy, firstWrite)).toBe('conflict');
  });
});

describe('conflict policies', () => {
  it('mergeText keeps every word', () => {
    expect(mergeText('a', 'a', 'b')).toBe('b');
    expect(mergeText('a', 'c', 'a')).toBe('c');
    expect(mergeText('base', 'base ours', 'base theirs')).toBe('base theirs ours');
    expect(mergeText('base', 'ours', 'theirs')).toBe(`theirs${CONFLICT_SEPARATOR}ours`);
    expect(mergeText(undefined, 'ours', 'theirs')).toBe(`theirs${CONFLICT_SEPARATOR}ours`);
  });

  it("mergeText meets the device's own unanswered edit on the server without writing it twice", () => {
    // The server has the device's first edit; the device pushes its second against the old base.
    expect(mergeText('Monday.', 'Monday. Slept badly. Therapy at 6.', 'Monday. Slept badly.')).toBe('Monday. Slept badly. Therapy at 6.');
    // The other way round: the server already holds more than the device pushes.
    expect(mergeText('Monday.', 'Monday. Slept badly.', 'Monday. Slept badly. Therapy at 6.')).toBe('Monday. Slept badly. Therapy at 6.');
    // Two real appends still keep both, the server's first.
    expect(mergeText('Monday.', 'Monday. Phone.', 'Monday. Laptop.')).toBe('Monday. Laptop. Phone.');
  });

  it('journal: a lost answer resolved as a conflict ends with the text written once', async () => {
    const base = journalEntry({ content: 'Monday.' });
    const merged = await conflictPolicies.journal_entries.handler.resolve({
      assumedMasterState: base,
      realMasterState: { ...base, content: 'Monday. Slept badly.' },
      newDocumentState: { ...base, content: 'Monday. Slept badly. Therapy at 6.' },
    });
    expect(merged.content).toBe('Monday. Slept badly. Therapy at 6.');
  });

  it('journal: field-wise three-way merge; an edit beats a delete', async () => {
    const base = journalEntry({ content: 'x', title: 't', tags: ['a'] });
    const theirs = { ...base, content: 'x server', tags: ['a', 'b'] };
    const ours = { ...base, content: 'x device', title: 'new title', tags: ['a', 'c'] };
    const merged = await conflictPolicies.journal_entries.handler.resolve({ assumedMasterState: base, realMasterState: theirs, newDocumentState: ours });
    expect(merged).toMatchObject({ content: 'x server device', title: 'new title', tags: ['a', 'b', 'c'], _deleted: false });
    const deletedThere = await conflictPolicies.journal_entries.handler.resolve({ assumedMasterState: base, realMasterState: { ...base, _deleted: true }, newDocumentState: ours });
    expect(deletedThere._deleted).toBe(false);
  });

  it('append-only: the server content wins, the sharing choice is kept', async () => {
    const master = moodEntry({ moodScore: 3 });
    const resolved = await conflictPolicies.mood_entries.handler.resolve({ realMasterState: master, newDocumentState: { ...master, moodScore: 9, sharedWithTherapist: true } });
    expect(resolved).toMatchObject({ moodScore: 3, sharedWithTherapist: true });
  });
});
