import { createClient, createOnlineClient, type CollectionName, type OnlineClient, type Session, type TherapyFieldClient } from '@therapy-field/client-sdk';
import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { PlatformContext, type Me, type PlatformContextValue, type Role } from '../lib/platform';

const SESSION_KEY = 'tf.session';
const ME_KEY = 'tf.me';

/** What each role keeps on the device: what it reads live or writes offline. */
const collectionsByRole: Record<Role, CollectionName[]> = {
  client: ['mood_entries', 'journal_entries', 'habit_definitions', 'habit_logs', 'goals', 'appointments', 'messages', 'notifications', 'measure_responses', 'intake_forms', 'form_responses'],
  // A therapist's device also receives the entries their current clients share with them.
  therapist: ['appointments', 'messages', 'notifications', 'mood_entries', 'journal_entries'],
  business_admin: ['notifications'],
  super_admin: ['notifications'],
};

/** Deletes the IndexedDB databases RxDB's Dexie storage made for one user's `tf-<id>` database. */
async function forgetLocalDatabase(userId: string): Promise<void> {
  const databases = await indexedDB.databases();
  await Promise.all(
    databases
      .filter((database) => database.name?.includes(`tf-${userId}`))
      .map(
        (database) =>
          new Promise<void>((resolve) => {
            const request = indexedDB.deleteDatabase(database.name!);
            request.onsuccess = request.onerror = request.onblocked = () => resolve();
          }),
      ),
  );
}

function saved<T>(key: string): T | null {
  try {
    const text = localStorage.getItem(key);
    return text ? (JSON.parse(text) as T) : null;
  } catch {
    return null;
  }
}

type ClientState = { client: OnlineClient; session: null; me: null } | { client: TherapyFieldClient; session: Session; me: Me | null };

/**
 * One SDK client per tab: a guest client (no local database, no RxDB code loaded) until someone
 * signs in, then that user's own client on their own IndexedDB database, resumed from the saved
 * session on the next load, so the app starts and works without a network.
 */
export function PlatformProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<ClientState | null>(null);
  const current = useRef<OnlineClient | null>(null);
  const { t } = useTranslation('common');

  const open = useCallback(async (session: Session | null): Promise<void> => {
    await current.current?.close();
    current.current = null;
    const onSession = (next: Session | null) => {
      if (next) localStorage.setItem(SESSION_KEY, JSON.stringify(next));
    };
    if (!session) {
      const guest = createOnlineClient({ url: window.location.origin, requestTimeoutMs: 5_000, onSession });
      current.current = guest;
      setState({ client: guest, session: null, me: null });
      return;
    }
    // RxDB's IndexedDB storage is loaded for a signed-in user only, like the SDK's database code.
    const { getRxStorageDexie } = await import('rxdb/plugins/storage-dexie');
    const client = await createClient({
      url: window.location.origin,
      storage: getRxStorageDexie(),
      databaseName: `tf-${session.userId}`,
      collections: collectionsByRole[session.role],
      retryTimeMs: 2_000,
      requestTimeoutMs: 5_000,
      onSession,
    });
    current.current = client;
    localStorage.setItem(SESSION_KEY, JSON.stringify(session));
    client.auth.resume(session);
    client.sync.start();
    const cachedMe = saved<Me>(ME_KEY);
    setState({ client, session, me: cachedMe?.id === session.userId ? cachedMe : null });
    client.api.me.get().then(
      (me) => {
        localStorage.setItem(ME_KEY, JSON.stringify(me));
        setState((previous) => (previous?.client === client ? { client, session, me } : previous));
      },
      () => undefined, // offline: the cached profile stands
    );
  }, []);

  useEffect(() => {
    void open(saved<Session>(SESSION_KEY));
    return () => void current.current?.close();
  }, [open]);

  // A socket on a network that went away lingers until its pings time out; the browser knows sooner.
  const syncing = state?.session ? state.client : null;
  useEffect(() => {
    if (!syncing) return;
    const stop = () => void syncing.sync.stop();
    const start = () => syncing.sync.start();
    window.addEventListener('offline', stop);
    window.addEventListener('online', start);
    return () => {
      window.removeEventListener('offline', stop);
      window.removeEventListener('online', start);
    };
  }, [syncing]);

  const signOut = useCallback(
    async ({ forgetDevice = false }: { forgetDevice?: boolean } = {}) => {
      const userId = saved<Session>(SESSION_KEY)?.userId;
      await current.current?.auth.logout().catch(() => undefined);
      localStorage.removeItem(SESSION_KEY);
      localStorage.removeItem(ME_KEY);
      await open(null);
      if (forgetDevice && userId) await forgetLocalDatabase(userId);
    },
    [open],
  );

  const value = useMemo<PlatformContextValue | null>(
    () =>
      state && {
        ...state,
        signedIn: (session) => open(session),
        signOut,
        updateMe: (me) => {
          localStorage.setItem(ME_KEY, JSON.stringify(me));
          setState((previous) => previous?.session ? { ...previous, me } : previous);
        },
      },
    [state, open, signOut],
  );

  if (!value) return <p className="splash" role="status">{t('loading')}</p>;
  return <PlatformContext.Provider value={value}>{children}</PlatformContext.Provider>;
}
