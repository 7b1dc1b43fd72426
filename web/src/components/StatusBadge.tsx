import { useTranslation } from 'react-i18next';

export type AppointmentStatus = 'requested' | 'confirmed' | 'declined' | 'cancelled' | 'completed' | 'no_show' | 'rescheduled';

export function StatusBadge({ status }: { status: AppointmentStatus }) {
  const { t } = useTranslation('common');
  return <span className={`badge badge-${status}`}>{t(`status.${status}`)}</span>;
}

/** Whether an offline-first record has reached the server. */
export function SyncBadge({ synced }: { synced: boolean }) {
  const { t } = useTranslation('common');
  return <span className={`badge ${synced ? 'badge-synced' : 'badge-pending'}`}>{synced ? t('sync.syncedBadge') : t('sync.pendingBadge')}</span>;
}
