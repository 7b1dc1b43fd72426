import type { SyncDocuments } from '@therapy-field/client-sdk';
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { map } from 'rxjs';
import { Page } from '../../components/Page';
import { SyncBadge } from '../../components/StatusBadge';
import { useObservable } from '../../lib/observable';
import { usePendingIds } from '../../lib/pending';
import { useSignedIn } from '../../lib/platform';
import { formatDateTime } from '../../lib/time';
import { useAsync } from '../../lib/use-async';

type MessageDoc = SyncDocuments['messages'];

/** Conversations with clients; a thread is read from and written to the device's database (offline-first). */
export function InboxPage() {
  const { t, i18n } = useTranslation('messages');
  const { client, session } = useSignedIn();
  const conversations = useAsync(() => client.api.messages.conversations(), [client]);
  const pending = usePendingIds('messages');
  const [peerId, setPeerId] = useState<string | null>(null);
  const peer = conversations.data?.conversations.find((c) => c.peerId === peerId);
  const messages = useObservable(
    () =>
      peerId
        ? client.db.messages
            .find({ selector: { $or: [{ recipientId: peerId }, { senderId: peerId }] }, sort: [{ createdAt: 'asc' }] })
            .$.pipe(map((docs) => docs.map((doc) => doc.toJSON() as MessageDoc).filter((m) => m.body !== '')))
        : undefined,
    [] as MessageDoc[],
    [client, peerId],
  );

  useEffect(() => {
    if (peerId) client.api.messages.markRead(peerId).then(() => conversations.reload(), () => undefined);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [peerId, messages.length]);

  async function send(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const body = String(new FormData(form).get('body') ?? '').trim();
    if (!body || !peerId) return;
    await client.db.messages.insert({ id: crypto.randomUUID(), recipientId: peerId, body, createdAt: new Date().toISOString() });
    form.reset();
  }

  return (
    <Page title={t('title')}>
      <div className="inbox">
        <nav className="card conversation-list" aria-label={t('conversations')}>
          <h2>{t('conversations')}</h2>
          {conversations.data?.conversations.length === 0 && <p className="muted">{t('none')}</p>}
          <ul>
            {conversations.data?.conversations.map((c) => (
              <li key={c.peerId}>
                <button type="button" className={c.peerId === peerId ? 'conversation is-current' : 'conversation'} aria-current={c.peerId === peerId} onClick={() => setPeerId(c.peerId)}>
                  <span>{c.peerName}</span>
                  {c.unreadCount > 0 && <span className="badge badge-requested">{t('unread', { count: c.unreadCount })}</span>}
                </button>
              </li>
            ))}
          </ul>
        </nav>
        <section className="card thread" aria-label={peer ? t('thread', { name: peer.peerName }) : t('pick')}>
          {!peer ? (
            <p className="muted">{t('pick')}</p>
          ) : (
            <>
              <h2>{peer.peerName}</h2>
              <ol className="messages" aria-live="polite">
                {messages.map((m) => {
                  const mine = m.senderId === session.userId || (!m.senderId && m.recipientId === peerId);
                  return (
                    <li key={m.id} className={mine ? 'message mine' : 'message'}>
                      <p>{m.body}</p>
                      <p className="message-meta">
                        <span>{mine ? t('you') : peer.peerName}</span> · <time dateTime={m.createdAt}>{formatDateTime(m.createdAt, i18n.language)}</time>
                        {mine && m.readAt && <> · {t('read')}</>}
                        {mine && pending && <> <SyncBadge synced={!pending.has(m.id)} /></>}
                      </p>
                    </li>
                  );
                })}
              </ol>
              <form className="composer" onSubmit={(event) => void send(event)}>
                <label htmlFor="message-body" className="visually-hidden">{t('write')}</label>
                <textarea id="message-body" name="body" rows={2} maxLength={5000} required />
                <button type="submit">{t('send')}</button>
              </form>
            </>
          )}
        </section>
      </div>
    </Page>
  );
}
