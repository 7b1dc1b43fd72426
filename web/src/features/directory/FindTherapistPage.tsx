import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { TherapistSearchFacets, TherapistSearchItem, TherapistSearchSort } from '@therapy-field/sync';
import { Alert } from '../../components/Alert';
import { SelectField, TextField } from '../../components/Form';
import { Page } from '../../components/Page';
import { errorMessage } from '../../lib/errors';
import { useAsync } from '../../lib/use-async';
import { useSignedIn } from '../../lib/platform';

type SearchClient = ReturnType<typeof useSignedIn>['client'];
type SearchQuery = NonNullable<Parameters<SearchClient['api']['directory']['search']>[0]>;

const sorts: TherapistSearchSort[] = ['relevance', 'rating', 'price', 'next_slot', 'distance'];
const PAGE_SIZE = 20;

/** What a facet says about one option: ` (12)`, or nothing before the first answer. */
function countOf(list: Array<{ value: string; count: number }> | undefined, value: string) {
  const found = list?.find((entry) => entry.value === value);
  return list ? ` (${found?.count ?? 0})` : '';
}

/**
 * The directory search: free text (Greek, English or Greeklish), filters with facet counts, sorts
 * (distance from the browser's location, no map), results with photo, price, next free slot, and
 * "more" pages by cursor.
 */
export function FindTherapistPage() {
  const { t, i18n } = useTranslation('directory');
  const { client } = useSignedIn();
  const lang = i18n.language === 'en' ? 'en' : 'el';
  const [query, setQuery] = useState<SearchQuery>({});
  const [near, setNear] = useState<[number, number] | undefined>();
  const [locating, setLocating] = useState<string | undefined>();
  const [items, setItems] = useState<TherapistSearchItem[]>([]);
  const [facets, setFacets] = useState<TherapistSearchFacets | undefined>();
  const [cursor, setCursor] = useState<string | null>(null);
  const [more, setMore] = useState<{ loading: boolean; error?: unknown }>({ loading: false });
  const catalog = useAsync(() => Promise.all([client.api.directory.specializations(), client.api.directory.approaches()]), [client]);
  const fullQuery = { ...query, ...(near && { near }), lang, limit: PAGE_SIZE } as SearchQuery;
  const first = useAsync(() => client.api.directory.search({ ...fullQuery, facets: true }), [client, JSON.stringify(fullQuery)]);

  useEffect(() => {
    if (!first.data) return;
    setItems(first.data.items);
    setFacets(first.data.facets);
    setCursor(first.data.nextCursor);
  }, [first.data]);

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const text = (name: string) => String(form.get(name) ?? '').trim();
    const number = (name: string) => (text(name) === '' ? undefined : Number(text(name)));
    const checked = (name: string) => form.get(name) === 'on';
    const sort = text('sort') as TherapistSearchSort | '';
    const radius = number('radiusKm');
    setQuery({
      ...(text('q') && { q: text('q') }),
      ...(text('city') && { city: text('city') }),
      ...(text('specialization') && { specializations: [text('specialization')] }),
      ...(text('approach') && { approaches: [text('approach')] }),
      ...(text('language') && { languages: [text('language')] }),
      ...(text('gender') && { gender: [text('gender') as 'male' | 'female' | 'other'] }),
      ...(checked('online') && { online: true }),
      ...(checked('inPerson') && { inPerson: true }),
      ...(checked('insurance') && { insurance: true }),
      ...(number('priceMax') !== undefined && { priceMax: number('priceMax') }),
      ...(number('minExperience') !== undefined && { minExperience: number('minExperience') }),
      ...(number('availableWithinDays') !== undefined && { availableWithinDays: number('availableWithinDays') }),
      ...(near && radius !== undefined && { radiusKm: radius }),
      ...(sort && (sort !== 'distance' || near) && { sort }),
    });
  }

  function locate() {
    if (!navigator.geolocation) return setLocating(t('locationUnavailable'));
    setLocating(t('locating'));
    navigator.geolocation.getCurrentPosition(
      (position) => {
        setNear([Number(position.coords.latitude.toFixed(4)), Number(position.coords.longitude.toFixed(4))]);
        setLocating(undefined);
      },
      () => setLocating(t('locationUnavailable')),
    );
  }

  async function loadMore() {
    if (!cursor) return;
    setMore({ loading: true });
    try {
      const page = await client.api.directory.search({ ...fullQuery, cursor });
      setItems((shown) => [...shown, ...page.items]);
      setCursor(page.nextCursor);
      setMore({ loading: false });
    } catch (error) {
      setMore({ loading: false, error });
    }
  }

  const [specializations, approaches] = catalog.data ?? [[], []];
  const nameOf = (entry: { nameEn: string; nameEl: string }) => (lang === 'el' ? entry.nameEl : entry.nameEn);

  return (
    <Page title={t('title')}>
      <form className="card search-form" role="search" onSubmit={submit}>
        <TextField label={t('search')} name="q" type="search" />
        <TextField label={t('city')} name="city" />
        <SelectField label={t('specializations')} name="specialization" defaultValue="">
          <option value="">{t('any')}</option>
          {specializations.map((entry) => (
            <option key={entry.id} value={entry.id}>{nameOf(entry) + countOf(facets?.specializations, entry.id)}</option>
          ))}
        </SelectField>
        <SelectField label={t('approaches')} name="approach" defaultValue="">
          <option value="">{t('any')}</option>
          {approaches.map((entry) => (
            <option key={entry.id} value={entry.id}>{nameOf(entry) + countOf(facets?.approaches, entry.id)}</option>
          ))}
        </SelectField>
        <SelectField label={t('languages')} name="language" defaultValue="">
          <option value="">{t('any')}</option>
          {['el', 'en', 'de', 'fr'].map((code) => (
            <option key={code} value={code}>{t(`language.${code}`) + countOf(facets?.languages, code)}</option>
          ))}
        </SelectField>
        <SelectField label={t('gender')} name="gender" defaultValue="">
          <option value="">{t('any')}</option>
          {(['female', 'male', 'other'] as const).map((gender) => (
            <option key={gender} value={gender}>{t(`genders.${gender}`) + countOf(facets?.gender, gender)}</option>
          ))}
        </SelectField>
        <TextField label={t('priceMax')} name="priceMax" type="number" min={0} step={5} />
        <TextField label={t('minExperience')} name="minExperience" type="number" min={0} max={70} />
        <SelectField label={t('availableWithin')} name="availableWithinDays" defaultValue="">
          <option value="">{t('any')}</option>
          {[1, 3, 7, 14].map((days) => (
            <option key={days} value={days}>{t('withinDays', { count: days })}</option>
          ))}
        </SelectField>
        <label className="checkbox">
          <input type="checkbox" name="online" /> {t('onlineOnly')}{facets ? ` (${facets.online})` : ''}
        </label>
        <label className="checkbox">
          <input type="checkbox" name="inPerson" /> {t('inPersonOnly')}{facets ? ` (${facets.inPerson})` : ''}
        </label>
        <label className="checkbox">
          <input type="checkbox" name="insurance" /> {t('insurance')}{facets ? ` (${facets.insurance})` : ''}
        </label>
        <div className="field">
          <button type="button" onClick={locate}>{near ? t('locationSet') : t('useMyLocation')}</button>
          {locating && <p className="muted" role="status">{locating}</p>}
        </div>
        {near && <TextField label={t('radiusKm')} name="radiusKm" type="number" min={1} max={1000} />}
        <SelectField label={t('sort')} name="sort" defaultValue="">
          <option value="">{t('sorts.default')}</option>
          {sorts.filter((sort) => sort !== 'distance' || near).map((sort) => (
            <option key={sort} value={sort}>{t(`sorts.${sort}`)}</option>
          ))}
        </SelectField>
        <button type="submit">{t('submit')}</button>
      </form>
      {first.error !== undefined && <Alert kind="error">{errorMessage(first.error, t)}</Alert>}
      <section aria-labelledby="results-title" aria-busy={first.loading}>
        <h2 id="results-title">{facets ? t('resultsCount', { count: facets.total }) : t('results')}</h2>
        {first.data && items.length === 0 && <p className="muted">{t('none')}</p>}
        <ul className="therapist-grid">
          {items.map((therapist) => (
            <li key={therapist.id} className="card therapist-card">
              {therapist.photoUrl && <img src={therapist.photoUrl} alt={t('photoOf', { name: therapist.name })} width={96} height={96} loading="lazy" />}
              <h3>{therapist.name}</h3>
              {therapist.title && <p>{therapist.title}</p>}
              <p className="muted">
                {[therapist.cities.join(' · '), therapist.online && t('online'), therapist.inPerson && t('inPerson')].filter(Boolean).join(' · ')}
                {therapist.distanceKm !== null && ` · ${t('distance', { km: therapist.distanceKm })}`}
              </p>
              <p className="tags">
                {(lang === 'el' ? therapist.specializationsEl : therapist.specializations).map((name) => (
                  <span key={name} className="tag">{name}</span>
                ))}
              </p>
              <p>{therapist.priceFrom !== null ? t('priceFrom', { price: therapist.priceFrom }) : t('noPrice')}</p>
              <p>
                {therapist.nextFreeSlot
                  ? t('nextSlot', { when: new Date(therapist.nextFreeSlot).toLocaleString(lang === 'el' ? 'el-GR' : 'en-GB', { timeZone: 'Europe/Athens', dateStyle: 'medium', timeStyle: 'short' }) })
                  : t('noNextSlot')}
              </p>
              <p className="rating">{therapist.rating !== null ? `★ ${t('rating', { rating: therapist.rating.toFixed(1), count: therapist.reviewCount })}` : t('noRating')}</p>
              <Link to={`/find-therapist/${therapist.id}`} className="button-link" aria-label={t('viewProfile', { name: therapist.name })}>
                {t('book')}
              </Link>
            </li>
          ))}
        </ul>
        {more.error !== undefined && <Alert kind="error">{errorMessage(more.error, t)}</Alert>}
        {cursor && (
          <button type="button" onClick={loadMore} disabled={more.loading}>{t('more')}</button>
        )}
      </section>
    </Page>
  );
}
