import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { Alert } from '../../components/Alert';
import { SelectField } from '../../components/Form';
import { Page } from '../../components/Page';
import { errorMessage } from '../../lib/errors';
import { useSignedIn } from '../../lib/platform';
import { athensDate, formatDate, formatDateTime, formatTime } from '../../lib/time';
import { useAsync } from '../../lib/use-async';

/** A therapist's profile, approved reviews and free slots; a slot books in one click. */
export function TherapistProfilePage() {
  const { t, i18n } = useTranslation('directory');
  const { client } = useSignedIn();
  const therapistId = useParams().therapistId!;
  const profile = useAsync(() => client.api.directory.get(therapistId), [client, therapistId]);
  const types = useAsync(() => client.api.directory.appointmentTypes(), [client]);
  const reviews = useAsync(() => client.api.reviews.listForTherapist(therapistId, { limit: 5, language: i18n.language === 'en' ? 'en' : 'el' }), [client, therapistId, i18n.language]);
  const [typeId, setTypeId] = useState<string | null>(null);
  const [mode, setMode] = useState<'online' | 'in_person'>('online');
  const chosenType = typeId ?? types.data?.find((type) => !type.isInitialAssessment)?.id ?? types.data?.[0]?.id;
  const from = athensDate(new Date(Date.now() + 86_400_000));
  const to = athensDate(new Date(Date.now() + 14 * 86_400_000));
  const slots = useAsync(
    () => (chosenType ? client.api.slots(therapistId, { from, to, type: chosenType, mode }) : Promise.resolve({ timezone: 'Europe/Athens', slots: [] })),
    [client, therapistId, chosenType, mode],
  );
  const [outcome, setOutcome] = useState<{ kind: 'success' | 'error'; text: string } | null>(null);

  const p = profile.data;
  const byDay = new Map<string, Array<{ start: string }>>();
  for (const slot of slots.data?.slots ?? []) {
    const day = athensDate(new Date(slot.start));
    byDay.set(day, [...(byDay.get(day) ?? []), slot]);
  }

  async function book(start: string) {
    setOutcome(null);
    try {
      const appointment = await client.api.appointments.book({ therapistId, appointmentTypeId: chosenType!, start, isOnline: mode === 'online' });
      const when = formatDateTime(appointment.scheduledStart, i18n.language);
      setOutcome({ kind: 'success', text: appointment.status === 'confirmed' ? t('bookedConfirmed', { when }) : t('booked', { when }) });
      slots.reload();
    } catch (error) {
      setOutcome({ kind: 'error', text: errorMessage(error, t) });
      slots.reload();
    }
  }

  const name = p ? `${p.firstName} ${p.lastName}` : '…';
  return (
    <Page title={name} actions={<Link to="/find-therapist">{t('back')}</Link>}>
      {profile.error !== undefined && <Alert kind="error">{errorMessage(profile.error, t)}</Alert>}
      {p && (
        <div className="grid-2">
          <section className="card" aria-labelledby="about-title">
            <h2 id="about-title">{t('about')}</h2>
            <p className="muted">
              {p.professionalTitle}
              {p.yearsOfExperience !== null && ` · ${t('years', { count: p.yearsOfExperience })}`}
            </p>
            <p>{p.bio}</p>
            <h3>{t('specializations')}</h3>
            <p className="tags">{p.specializations.map((s) => <span key={s.id} className="tag">{i18n.language === 'el' ? s.nameEl : s.nameEn}</span>)}</p>
            <h3>{t('approaches')}</h3>
            <p className="tags">{p.approaches.map((a) => <span key={a.id} className="tag">{i18n.language === 'el' ? a.nameEl : a.nameEn}</span>)}</p>
            <h3>{t('languages')}</h3>
            <p>{p.languages.map((l) => new Intl.DisplayNames([i18n.language], { type: 'language' }).of(l.code)).join(', ')}</p>
            <h3>{t('locations')}</h3>
            <ul>{p.locations.map((l) => <li key={l.id}>{[l.practiceName, l.addressLine1, l.city].filter(Boolean).join(', ')}</li>)}</ul>
          </section>
          <section className="card" aria-labelledby="book-title">
            <h2 id="book-title">{t('book')}</h2>
            <div className="field-row">
              <SelectField label={t('type')} value={chosenType ?? ''} onChange={(event) => setTypeId(event.target.value)}>
                {types.data?.map((type) => <option key={type.id} value={type.id}>{type.name} · {type.durationMinutes}′</option>)}
              </SelectField>
              <SelectField label={t('mode')} value={mode} onChange={(event) => setMode(event.target.value as 'online' | 'in_person')}>
                {p.offersOnlineTherapy && <option value="online">{t('online', { ns: 'common' })}</option>}
                {p.offersInPersonTherapy && <option value="in_person">{t('inPerson', { ns: 'common' })}</option>}
              </SelectField>
            </div>
            {outcome && <Alert kind={outcome.kind}>{outcome.text}</Alert>}
            <h3>{t('freeSlots')}</h3>
            {slots.data && byDay.size === 0 && <p className="muted">{t('noSlots')}</p>}
            <div className="slot-days" aria-busy={slots.loading}>
              {[...byDay].slice(0, 7).map(([day, daySlots]) => (
                <div key={day} className="slot-day">
                  <h4>{formatDate(daySlots[0]!.start, i18n.language)}</h4>
                  <ul className="slot-list">
                    {daySlots.map((slot) => (
                      <li key={slot.start}>
                        <button type="button" className="slot" aria-label={t('bookAt', { when: formatDateTime(slot.start, i18n.language) })} onClick={() => void book(slot.start)}>
                          {formatTime(slot.start, i18n.language)}
                        </button>
                      </li>
                    ))}
                  </ul>
                </div>
              ))}
            </div>
          </section>
        </div>
      )}
      <section className="card" aria-labelledby="reviews-title">
        <h2 id="reviews-title">{t('reviews')}</h2>
        {reviews.data && reviews.data.reviews.length === 0 && <p className="muted">{t('noReviews')}</p>}
        <ul className="review-list">
          {reviews.data?.reviews.map((review) => (
            <li key={review.id}>
              <p>
                <span aria-label={`${review.rating} / 5`}>{'★'.repeat(review.rating)}{'☆'.repeat(5 - review.rating)}</span> · <strong>{review.author}</strong> ·{' '}
                <time dateTime={review.createdAt}>{formatDate(review.createdAt, i18n.language)}</time>
              </p>
              {review.comment && <p>{review.comment}</p>}
            </li>
          ))}
        </ul>
      </section>
    </Page>
  );
}
