import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Alert } from '../../components/Alert';
import { Page } from '../../components/Page';
import { errorMessage } from '../../lib/errors';
import { useSignedIn } from '../../lib/platform';
import { formatDateTime } from '../../lib/time';
import { useAsync } from '../../lib/use-async';

/** Pending reviews: approve (public) or reject with a reason. */
export function ModerationPage() {
  const { t, i18n } = useTranslation('moderation');
  const { client } = useSignedIn();
  const pending = useAsync(() => client.api.admin.reviews({ status: 'pending', limit: 50 }), [client]);
  const [reasons, setReasons] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<{ kind: 'success' | 'error'; text: string } | null>(null);
  const act = (call: Promise<unknown>, done: string) =>
    call.then(
      () => {
        setMessage({ kind: 'success', text: done });
        pending.reload();
      },
      (error: unknown) => setMessage({ kind: 'error', text: errorMessage(error, t) }),
    );
  return (
    <Page title={t('title')}>
      {message && <Alert kind={message.kind}>{message.text}</Alert>}
      <section className="card" aria-labelledby="waiting-title">
        <h2 id="waiting-title">{t('waiting')}</h2>
        {pending.data?.reviews.length === 0 && <p className="muted">{t('none')}</p>}
        <ul className="review-list">
          {pending.data?.reviews.map((review) => {
            const when = formatDateTime(review.createdAt, i18n.language);
            return (
              <li key={review.id} className="review">
                <p>
                  <span aria-label={`${review.rating} / 5`}>{'★'.repeat(review.rating)}{'☆'.repeat(5 - review.rating)}</span> · <time dateTime={review.createdAt}>{when}</time>
                  {review.anonymous && <> · {t('anonymous')}</>}
                </p>
                <p>{review.comment ?? t('noComment')}</p>
                <div className="review-actions">
                  <button type="button" aria-label={t('approveReview', { when })} onClick={() => void act(client.api.admin.approveReview(review.id), t('approved'))}>
                    {t('approve')}
                  </button>
                  <label className="inline-field">
                    <span className="visually-hidden">{t('reason')}</span>
                    <input placeholder={t('reason')} value={reasons[review.id] ?? ''} onChange={(event) => setReasons({ ...reasons, [review.id]: event.target.value })} />
                  </label>
                  <button
                    type="button"
                    className="button-quiet"
                    aria-label={t('rejectReview', { when })}
                    disabled={!reasons[review.id]?.trim()}
                    onClick={() => void act(client.api.admin.rejectReview(review.id, { reason: reasons[review.id]!.trim() }), t('rejected'))}
                  >
                    {t('reject')}
                  </button>
                </div>
              </li>
            );
          })}
        </ul>
      </section>
    </Page>
  );
}
