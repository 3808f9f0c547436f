/**
 * Three projects share one run:
 * - `workers`: the app inside the Workers runtime (miniflare), bindings pointing at the local emulators;
 * - `node`: tools (emulators, CLI) and Node-only host code (src/infra/node) tested from Node with the official clients;
 * - `e2e`: wrangler dev + headless Chromium.
 * The global setup starts the emulators once per run and provides their URLs to every project.
 */
import { cloudflareTest } from '@cloudflare/vitest-plugin'
import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    globalSetup: ['test/setup/global-setup.ts'],
    // Two files at a time, also on a 2-core machine (vitest's default there is one): most of a file's time is waiting
    // for the emulators, workerd or a child process. The e2e files run afterwards, alone (their group below).
    maxWorkers: 2,
    projects: [
      {
        extends: true,
        plugins: [
          cloudflareTest(async ({ inject }) => ({
            // workerd's --verbose reports a failed outbound connection (a test pointing Redis or the database at a
            // closed port) a second time as "uncaught exception … Network connection lost", although our code
            // handles the rejection. Without it, console output and unhandled rejections still reach vitest.
            verbose: false,
            wrangler: { configPath: './wrangler.toml' },
            miniflare: {
              bindings: {
                ENVIRONMENT: 'test',
                LOG_LEVEL: 'warn',
                CORS_ALLOWED_ORIGINS: 'https://admin.example.com',
                // Most tests log in directly; captcha tests switch it back on.
                LOGIN_CAPTCHA_ENABLED: 'false',
                // Test requests share one client IP: keep rate limits out of other tests' way (the default rule stays
                // on so its counters are exercised in every pipeline; rate-limit tests set their own limits).
                RATE_LIMIT_DEFAULT: '100000/60s',
                RATE_LIMIT_LOGIN: '1000/60s',
                RATE_LIMIT_CAPTCHA: '1000/60s',
                // Per user: the sweeps post junk to POST /emails/captcha as admin (profile.test.ts tests the limit).
                RATE_LIMIT_EMAIL_CAPTCHA: '1000/60s',
                // Two files run at a time on 2 cores beside workerd and the emulators: a healthy Redis call can miss
                // production's 1 s deadlines there (the call's and the rate-limit check's). Tests of the deadlines set their own
                // (faults, unavailable, rate-limit).
                REDIS_TIMEOUT_MS: '3000',
                RATE_LIMIT_TIMEOUT_MS: '3000',
                ...inject('workerBindings'),
              },
            },
          })),
        ],
        test: {
          name: 'workers',
          include: ['test/**/*.test.{ts,tsx}'],
          exclude: ['test/tools/**', 'test/e2e/**', 'test/infra/node/**', 'test/architecture/**'],
        },
      },
      {
        extends: true,
        test: {
          name: 'node',
          environment: 'node',
          // Node-only host code (src/infra/node) is tested here too: it never runs inside a Worker; so are the
          // architecture checks, which read the source tree.
          include: ['test/tools/**/*.test.ts', 'test/infra/node/**/*.test.ts', 'test/architecture/**/*.test.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          environment: 'node',
          // After the other projects, one file at a time: each starts `npm run dev` and a browser, whose timings
          // (the docs page's) are checked, so nothing else should run beside them.
          maxWorkers: 1,
          sequence: { groupOrder: 1 },
          include: ['test/e2e/**/*.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
})
