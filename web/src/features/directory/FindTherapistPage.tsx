import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { Alert } from '../../components/Alert';
import { TextField } from '../../components/Form';
import { Page } from '../../components/Page';
import { errorMessage } from '../../lib/errors';
import { useAsync } from '../../lib/use-async';
import { useSignedIn } from '../../lib/platform';

/** Free-text directory search (Greek or English, accents ignored) with city and online filters. */
export function FindTherapistPage() {
  const { t, i18n } = useTranslation('directory');
  const { client } = useSignedIn();
  const [query, setQuery] = useState<{ q?: string; city?: string; online?: boolean }>({});
  const { data, error, loading } = useAsync(() => client.api.directory.search({ ...query, limit: 20 }), [client, JSON.stringify(query)]);

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const q = String(form.get('q') ?? '').trim();
    const city = String(form.get('city') ?? '').trim();
    setQuery({ ...(q && { q }), ...(city && { city }), ...(form.get('online') === 'on' && { online: true }) });
  }

  return (
    <Page title={t('title')}>
      <form className="card search-form" role="search" onSubmit={submit}>
        <TextField label={t('search')} name="q" type="search" />
        <TextField label={t('city')} name="city" />
        <label className="checkbox">
          <input type="checkbox" name="online" /> {t('onlineOnly')}
        </label>
        <button type="submit">{t('submit')}</button>
      </form>
      {error !== undefined && <Alert kind="error">{errorMessage(error, t)}</Alert>}
      <section aria-labelledby="results-title" aria-busy={loading}>
        <h2 id="results-title" className="visually-hidden">{t('results')}</h2>
        {data && data.items.length === 0 && <p className="muted">{t('none')}</p>}
        <ul className="therapist-grid">
          {data?.items.map((therapist) => (
            <li key={therapist.id} className="card therapist-card">
              <h3>{therapist.name}</h3>
              <p className="muted">{therapist.cities.join(' · ')}</p>
              <p className="tags">
                {(i18n.language === 'el' ? therapist.specializationsEl : therapist.specializations).map((name) => (
                  <span key={name} className="tag">{name}</span>
                ))}
              </p>
              <p className="rating">{therapist.rating !== null ? `★ ${t('rating', { rating: therapist.rating.toFixed(1), count: therapist.reviewCount })}` : t('noRating')}</p>
              <Link to={`/find-therapist/${therapist.id}`} className="button-link" aria-label={t('viewProfile', { name: therapist.name })}>
                {t('book')}
              </Link>
            </li>
          ))}
        </ul>
      </section>
    </Page>
  );
}
