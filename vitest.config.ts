import { defineConfig } from 'vitest/config';

// Three tiers: pure unit tests; the database tier, once on the embedded database and once on a
// PostgreSQL server when NIANGJIA_TEST_DATABASE_URL is set; and browser journeys in Chromium.
const serverUrl = process.env.NIANGJIA_TEST_DATABASE_URL;
const dbTests = ['packages/db/test/**/*.test.ts', 'apps/server/test/**/*.test.ts'];

export default defineConfig({
  test: {
    setupFiles: ['test/fail-on-console-error.ts'],
    projects: [
      {
        extends: true as const,
        test: {
          name: 'unit',
          include: ['packages/*/src/**/*.test.ts', 'apps/server/src/**/*.test.ts'],
        },
      },
      {
        extends: true as const,
        test: {
          name: 'db:pglite',
          include: dbTests,
          env: { NIANGJIA_TEST_BACKEND: 'pglite' },
          globalSetup: ['apps/server/test/global-setup.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      ...(serverUrl
        ? [
            {
              extends: true as const,
              test: {
                name: 'db:postgres',
                include: dbTests,
                env: { NIANGJIA_TEST_BACKEND: 'postgres' },
                globalSetup: ['apps/server/test/global-setup.ts'],
                testTimeout: 30_000,
                hookTimeout: 60_000,
              },
            },
          ]
        : []),
      {
        extends: true as const,
        test: {
          name: 'e2e',
          include: ['e2e/**/*.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 180_000,
          fileParallelism: false,
          // What a page shows after a click comes from the server: on a loaded CI machine it took
          // more than expect.poll's default second now and then. A wrong text still fails.
          expect: { poll: { timeout: 10_000 } },
        },
      },
    ],
  },
});
