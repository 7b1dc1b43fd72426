import { createContext, useContext } from 'react';
import type { OnlineClient, Session, TherapyFieldClient } from '@therapy-field/client-sdk';

export type Me = Awaited<ReturnType<TherapyFieldClient['api']['me']['get']>>;
export type Role = Session['role'];

/**
 * The SDK client of this tab and who is signed in; provided by app/PlatformProvider. Signed out,
 * the client has no local database (the sign-in pages load no RxDB code).
 */
export type PlatformContextValue = PlatformActions & ({ client: OnlineClient; session: null } | { client: TherapyFieldClient; session: Session });

interface PlatformActions {
  /** The signed-in user's profile (the last one seen, so it is there offline too). */
  me: Me | null;
  /** Switches to the signed-in user's own client and local database. */
  signedIn(session: Session): Promise<void>;
  /** Ends the session; `forgetDevice` also deletes this user's local database (after erasure). */
  signOut(options?: { forgetDevice?: boolean }): Promise<void>;
  updateMe(me: Me): void;
}

export const PlatformContext = createContext<PlatformContextValue | null>(null);

export function usePlatform(): PlatformContextValue {
  const value = useContext(PlatformContext);
  if (!value) throw new Error('usePlatform outside PlatformProvider');
  return value;
}

/** The signed-in user's client (pages behind the sign-in guard only). */
export function useSignedIn(): PlatformActions & { client: TherapyFieldClient; session: Session } {
  const value = usePlatform();
  if (!value.session) throw new Error('useSignedIn on a page without a session');
  return value;
}
