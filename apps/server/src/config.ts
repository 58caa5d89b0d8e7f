import { z } from 'zod';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/**
 * The whole configuration, read once from the environment at start-up. Each variable is
 * documented in README.md; a wrong value stops the process with a message naming it.
 */
const Env = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  NIANGJIA_DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
    .optional(),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  NIANGJIA_ADMIN_PASSWORD: z.string().min(10, 'must be at least 10 characters').optional(),
  NIANGJIA_SESSION_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  NIANGJIA_SESSION_IDLE_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .default(60),
  NIANGJIA_SESSION_MAX_HOURS: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 30)
    .default(12),
  NIANGJIA_COOKIE_SECURE: z.enum(['auto', 'true', 'false']).default('auto'),
  NIANGJIA_TRUST_PROXY: z.enum(['true', 'false']).default('false'),
  NIANGJIA_ROOT_ORG_CODE: z
    .string()
    .regex(/^[A-Za-z0-9-]{1,32}$/)
    .default('000000'),
  NIANGJIA_ROOT_ORG_NAME: z.string().min(1).default('中华全国总工会'),
  NIANGJIA_DEMO_PASSWORD: z.string().min(10, 'must be at least 10 characters').default('demo-niangjia-2026'),
  NIANGJIA_WEB_DIST: z.string().optional(),
  LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
});

export type Config = {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | undefined;
  poolSize: number;
  adminPassword: string | undefined;
  sessionSecret: string | undefined;
  sessionIdleMinutes: number;
  sessionMaxHours: number;
  cookieSecure: 'auto' | boolean;
  trustProxy: boolean;
  rootOrg: { code: string; name: string };
  demoPassword: string;
  webDist: string | undefined;
  logLevel: (typeof LOG_LEVELS)[number];
};

/** Variables whose values never appear in a message (a URL may carry a password). */
const SECRET = new Set([
  'DATABASE_URL',
  'NIANGJIA_ADMIN_PASSWORD',
  'NIANGJIA_SESSION_SECRET',
  'NIANGJIA_DEMO_PASSWORD',
]);

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // An empty variable means "not set", as in most shells' `VAR= command`.
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = Env.safeParse(present);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => {
      const name = String(i.path[0] ?? '?');
      const shown = SECRET.has(name) ? '(value hidden)' : JSON.stringify(env[name] ?? '');
      return `  ${name}=${shown}: ${i.message}`;
    });
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir: e.NIANGJIA_DATA_DIR,
    databaseUrl: e.DATABASE_URL,
    poolSize: e.DATABASE_POOL_SIZE,
    adminPassword: e.NIANGJIA_ADMIN_PASSWORD,
    sessionSecret: e.NIANGJIA_SESSION_SECRET,
    sessionIdleMinutes: e.NIANGJIA_SESSION_IDLE_MINUTES,
    sessionMaxHours: e.NIANGJIA_SESSION_MAX_HOURS,
    cookieSecure: e.NIANGJIA_COOKIE_SECURE === 'auto' ? 'auto' : e.NIANGJIA_COOKIE_SECURE === 'true',
    trustProxy: e.NIANGJIA_TRUST_PROXY === 'true',
    rootOrg: { code: e.NIANGJIA_ROOT_ORG_CODE, name: e.NIANGJIA_ROOT_ORG_NAME },
    demoPassword: e.NIANGJIA_DEMO_PASSWORD,
    webDist: e.NIANGJIA_WEB_DIST,
    logLevel: e.LOG_LEVEL,
  };
}
