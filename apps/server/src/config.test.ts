import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config';

describe('configuration', () => {
  it('has working defaults', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({
      port: 3000,
      host: '127.0.0.1',
      dataDir: './data',
      databaseUrl: undefined,
      logLevel: 'info',
    });
  });

  it('reads each variable', () => {
    const c = loadConfig({
      PORT: '8080',
      DATABASE_URL: 'postgres://u@db:5432/nj',
      NIANGJIA_SESSION_IDLE_MINUTES: '15',
      NIANGJIA_COOKIE_SECURE: 'true',
      LOG_LEVEL: 'warn',
    });
    expect(c).toMatchObject({
      port: 8080,
      databaseUrl: 'postgres://u@db:5432/nj',
      sessionIdleMinutes: 15,
      cookieSecure: true,
      logLevel: 'warn',
    });
  });

  it('refuses a wrong value with a message naming the variable', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(ConfigError);
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/PORT="eighty"/);
    expect(() => loadConfig({ DATABASE_URL: 'mysql://x' })).toThrow(/DATABASE_URL=.*postgres/);
    // Secrets are named, never shown.
    expect(() => loadConfig({ DATABASE_URL: 'mysql://u:hunter2@x' })).toThrow(
      /DATABASE_URL=\(value hidden\)/,
    );
    expect(() => loadConfig({ NIANGJIA_SESSION_SECRET: 'short-secret' })).not.toThrow(/short-secret/);
    expect(() => loadConfig({ NIANGJIA_ADMIN_PASSWORD: 'short' })).toThrow(/NIANGJIA_ADMIN_PASSWORD/);
    expect(() => loadConfig({ LOG_LEVEL: 'loud' })).toThrow(/LOG_LEVEL/);
  });

  it('treats an empty variable as unset', () => {
    expect(loadConfig({ PORT: '', DATABASE_URL: '' })).toMatchObject({ port: 3000, databaseUrl: undefined });
  });
});
