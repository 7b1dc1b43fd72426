// Bundled by esbuild for the headless Chromium page of the browser sync test: the real SDK on
// RxDB's Dexie storage, i.e. the browser's own IndexedDB, as an app would use it.
import { getRxStorageDexie } from 'rxdb/plugins/storage-dexie';
import { createClient, type JournalEntry, type MoodEntry, type Session, type SyncState, type TherapyFieldClient } from '@therapy-field/client-sdk';

type Synced = 'mood_entries' | 'journal_entries';

/** What the test reads of the sync state (the page's last `state$` emission). */
export type PageSyncState = Pick<SyncState, 'online' | 'running' | 'pendingPushes'> & { errors: number };

export interface BrowserSyncHarness {
  /** Opens the local database; resumes the session saved in localStorage by an earlier load. */
  open(url: string): Promise<void>;
  login(email: string, password: string): Promise<void>;
  startSync(): void;
  logMoods(entries: MoodEntry[]): Promise<void>;
  logJournalEntry(entry: JournalEntry): Promise<void>;
  count(collection: Synced): Promise<number>;
  state(): PageSyncState;
}

const SESSION_KEY = 'therapy-field.session';
let client: TherapyFieldClient<Synced> | undefined;
let latest: PageSyncState | undefined;
function opened(): TherapyFieldClient<Synced> {
  if (!client) throw new Error('open() first');
  return client;
}

const harness: BrowserSyncHarness = {
  async open(url) {
    client = await createClient({
      url,
      storage: getRxStorageDexie(),
      databaseName: 'browser-sync',
      collections: ['mood_entries', 'journal_entries'],
      retryTimeMs: 200,
      requestTimeoutMs: 2_000,
      onSession: (session) => (session ? localStorage.setItem(SESSION_KEY, JSON.stringify(session)) : localStorage.removeItem(SESSION_KEY)),
    });
    const saved = localStorage.getItem(SESSION_KEY);
    if (saved) client.auth.resume(JSON.parse(saved) as Session);
    client.sync.state$.subscribe(({ online, running, pendingPushes, errors }) => {
      latest = { online, running, pendingPushes, errors: errors.length };
    });
  },
  async login(email, password) {
    await opened().auth.login(email, password);
  },
  startSync: () => opened().sync.start(),
  async logMoods(entries) {
    await opened().db.mood_entries.bulkInsert(entries);
  },
  async logJournalEntry(entry) {
    await opened().db.journal_entries.insert(entry);
  },
  count: async (collection) => opened().db[collection].count().exec(),
  state: () => latest!,
};

(globalThis as unknown as { harness: BrowserSyncHarness }).harness = harness;
