import { AppError } from '@therapy-field/client-sdk';
import type { TFunction } from 'i18next';

/** A failed call as a sentence in the user's language (the stable code picks it; the server's text otherwise). */
export function errorMessage(error: unknown, t: TFunction): string {
  if (error instanceof AppError) {
    const key = `errors.${error.code}`;
    const translated = t(key, { ns: 'common' });
    return translated === key ? t('errors.generic', { ns: 'common' }) : translated;
  }
  if (error instanceof TypeError) return t('errors.network', { ns: 'common' });
  return t('errors.generic', { ns: 'common' });
}
