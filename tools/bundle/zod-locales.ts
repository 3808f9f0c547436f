/**
 * Stand-in for zod's `locales/index.js` in the Worker bundle (wrangler.toml `[alias]`, docs/benchmarks.md "Worker
 * bundle"). zod's namespace re-exports all of its ~60 translations (`z.locales`), and `@hono/zod-openapi` hands that
 * namespace to `extendZodWithOpenApi(z)` as a value, so no bundler can leave them out: ~300 KB of the Worker. Stratum
 * never switches zod's locale — its own messages come from src/core/i18n — so the Worker keeps English, the default
 * zod registers by itself. Tests and Node tools use the real module.
 */
export { default as en } from 'zod/v4/locales/en.js'
