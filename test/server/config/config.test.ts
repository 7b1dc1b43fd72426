import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '@therapy-field/server';

const minimal = { JWT_SECRET: 'x'.repeat(32), ENCRYPTION_KEYS: `k1:${Buffer.alloc(32, 7).toString('base64')}` };

describe('configuration', () => {
  it('defaults to the embedded database on port 3000', () => {
    const config = loadConfig(minimal);
    expect(config).toMatchObject({ port: 3000, databaseUrl: undefined, seedDemoData: true, encryption: { currentKeyId: 'k1' } });
  });

  it('names every bad value at once', () => {
    try {
      loadConfig({ ...minimal, PORT: 'eighty', JWT_SECRET: 'short', ENCRYPTION_KEYS: 'k1:tooshort', DATABASE_URL: 'not a url' });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const paths = (error as ConfigError).problems.map((problem) => problem.split(':')[0]);
      expect(paths.sort()).toEqual(['DATABASE_URL', 'ENCRYPTION_KEYS', 'JWT_SECRET', 'PORT']);
    }
  });

  it('takes CORS origins as a list of exact origins', () => {
    expect(loadConfig(minimal).corsOrigins).toEqual([]);
    expect(loadConfig({ ...minimal, CORS_ORIGINS: 'https://app.therapyfield.gr, http://localhost:5173' }).corsOrigins).toEqual([
      'https://app.therapyfield.gr',
      'http://localhost:5173',
    ]);
    expect(() => loadConfig({ ...minimal, CORS_ORIGINS: 'https://app.therapyfield.gr/login' })).toThrow(/CORS_ORIGINS/);
  });

  it('requires the current encryption key to be in the ring', () => {
    expect(() => loadConfig({ ...minimal, ENCRYPTION_KEY_ID: 'k9' })).toThrow(/ENCRYPTION_KEY_ID/);
  });

  it('refuses to start in production without METRICS_TOKEN, naming it', () => {
    expect(() => loadConfig({ ...minimal, NODE_ENV: 'production' })).toThrow(/METRICS_TOKEN: is required in production/);
    const production = { ...minimal, NODE_ENV: 'production', DATABASE_APP_PASSWORD: 'a'.repeat(24), DATABASE_SYSTEM_PASSWORD: 's'.repeat(24) };
    expect(loadConfig({ ...production, METRICS_TOKEN: 'm'.repeat(16) }).metricsToken).toBe('m'.repeat(16));
  });
});
