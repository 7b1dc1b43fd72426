import { useTranslation } from 'react-i18next';
import { useObservable } from '../lib/observable';
import { useSignedIn } from '../lib/platform';

/** Online or offline, and how many local changes still wait for the server (a live region). */
export function SyncStatus() {
  const { t } = useTranslation('common');
  const { client } = useSignedIn();
  const state = useObservable(() => client.sync.state$, client.sync.state, [client]);
  const pending = state.pendingPushes ?? 0;
  return (
    <p className={`sync-status ${state.online ? 'is-online' : 'is-offline'}`} role="status" aria-live="polite">
      <span className="dot" aria-hidden="true" />
      <span>{state.online ? t('sync.online') : t('sync.offline')}</span>
      <span aria-hidden="true"> · </span>
      <span>{pending > 0 ? t('sync.pending', { count: pending }) : t('sync.allSynced')}</span>
    </p>
  );
}
