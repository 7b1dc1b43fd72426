import type { NotificationDoc } from '@therapy-field/client-sdk';
import { useTranslation } from 'react-i18next';
import { Page } from '../../components/Page';
import { useLocalList } from '../../lib/local-list';
import { useSignedIn } from '../../lib/platform';
import { formatDateTime } from '../../lib/time';

/**
 * The user's notifications from the device's copy: the server's new ones arrive through sync and
 * show at once; marking one read is a local write that syncs (offline too).
 */
export function NotificationsPage() {
  const { t, i18n } = useTranslation('notifications');
  const { client } = useSignedIn();
  const { entries } = useLocalList('notifications', 'createdAt', 'desc');

  const markRead = async (notification: NotificationDoc) => {
    const doc = await client.db.notifications.findOne(notification.id).exec();
    await doc?.incrementalPatch({ isRead: true, readAt: new Date().toISOString() });
  };
  const unread = entries.filter((notification) => !notification.isRead);

  return (
    <Page
      title={t('title')}
      actions={
        unread.length > 0 && (
          <button type="button" className="button-quiet" onClick={() => void Promise.all(unread.map(markRead))}>
            {t('markAllRead')}
          </button>
        )
      }
    >
      <p className="muted live-note">{t('live')}</p>
      <section className="card" aria-labelledby="page-title">
        {entries.length === 0 ? (
          <p className="muted">{t('none')}</p>
        ) : (
          <ul className="entry-list" aria-label={t('title')}>
            {entries.map((notification) => (
              <li key={notification.id} className={`entry${notification.isRead ? '' : ' notification-unread'}`}>
                <div className="entry-body">
                  <p className="entry-title">
                    <strong>{notification.title ?? notification.message}</strong>
                    <time dateTime={notification.createdAt}>{formatDateTime(notification.createdAt, i18n.language)}</time>
                  </p>
                  {notification.title && <p>{notification.message}</p>}
                </div>
                <div className="entry-badges">
                  {!notification.isRead && (
                    <>
                      <span className="badge badge-pending">{t('unread')}</span>
                      <button type="button" className="button-quiet" aria-label={t('markReadFor', { title: notification.title ?? notification.message })} onClick={() => void markRead(notification)}>
                        {t('markRead')}
                      </button>
                    </>
                  )}
                </div>
              </li>
            ))}
          </ul>
        )}
      </section>
    </Page>
  );
}
