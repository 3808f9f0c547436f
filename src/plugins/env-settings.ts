/**
 * A plugin's settings read from the Worker's vars and secrets (`c.env`), like core config but owned by the plugin
 * (`settings` of its manifest): parsed once per env object; a bad value fails the request with one `ConfigError`
 * naming every bad key, as core/config.ts does.
 */
import type { z } from '@hono/zod-openapi'
import { envReader } from '../core/config'

/** `true`/`false` and the usual spellings, as core config reads booleans. */
export const envBool = (value: unknown): boolean =>
  value === true || (typeof value === 'string' && ['true', '1', 'yes', 'on'].includes(value.trim().toLowerCase()))

/** The plugin's settings of an env, parsed once per env object (core/config.ts `envReader`). */
export function envSettings<S extends z.ZodObject>(schema: S): (env: object) => z.infer<S> {
  return envReader(schema)
}
