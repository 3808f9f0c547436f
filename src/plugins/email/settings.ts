/**
 * The `email` plugin's settings (docs/email.md): the transport and its SMTP server from the environment (vars and
 * secrets, fba's `EMAIL_*`), overridden by the `config` plugin's `EMAIL` rows (fba's dynamic email config) when that
 * plugin is enabled and the group's `EMAIL_CONFIG_STATUS` row is not `'0'` — unless `EMAIL_CONFIG_FROM_ENV` is set
 * (`npm run dev` sets it, so local mail goes to the SMTP stand-in whatever the seeded rows say).
 */
import { z } from '@hono/zod-openapi'
import { eq } from 'drizzle-orm'
import type { Cache } from '../../infra/cache'
import type { RepositoryDb } from '../../infra/db/repository'
import { sysConfig } from '../config/schema'
import { CONFIG_CACHE, ConfigType, parseBool, parseWholeNumber } from '../config/settings'
import { envBool, envSettings } from '../env-settings'

const bool = z.union([z.boolean(), z.string()]).transform(envBool)

export const emailSettingsSchema = z.object({
  /** `smtp`: send through `EMAIL_HOST`; `outbox` (default): no transport (dev outbox; 503 in production). */
  EMAIL_TRANSPORT: z.enum(['outbox', 'smtp']).default('outbox'),
  EMAIL_HOST: z.string().default('smtp.qq.com'),
  EMAIL_PORT: z.coerce.number().int().min(1).max(65_535).default(465),
  /** Implicit TLS (port 465); false: plain, upgraded with STARTTLS when the server offers it (port 587). */
  EMAIL_SSL: bool.default(true),
  EMAIL_USERNAME: z.string().default(''),
  EMAIL_PASSWORD: z.string().default(''),
  /** The `From` address; empty: `EMAIL_USERNAME`. */
  EMAIL_FROM: z.string().default(''),
  /** Deadline of one send (connect, TLS, login and the message). */
  EMAIL_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(10_000),
  /** The `config` plugin's `EMAIL` rows are ignored (the environment's values apply). */
  EMAIL_CONFIG_FROM_ENV: bool.default(false),
})

export type EmailSettings = z.infer<typeof emailSettingsSchema>

/** Every key above (`npm run dev` passes these through from its environment). */
export const EMAIL_ENV_KEYS = Object.keys(emailSettingsSchema.shape) as (keyof EmailSettings)[]

export const emailEnvSettings = envSettings(emailSettingsSchema)

/** The SMTP fields an `EMAIL` row may override, and the row that switches the group off. */
type RowOverrides = Partial<
  Pick<EmailSettings, 'EMAIL_HOST' | 'EMAIL_PORT' | 'EMAIL_SSL' | 'EMAIL_USERNAME' | 'EMAIL_PASSWORD'>
>
const STATUS_KEY = 'EMAIL_CONFIG_STATUS'
const ROWS_CACHE_KEY = 'email'

/** The overrides `EMAIL` rows define; malformed port/SSL values are skipped (the environment's apply). */
export function emailOverridesFromRows(rows: readonly { key: string; value: string }[]): RowOverrides {
  const values = new Map(rows.map((r) => [r.key, r.value]))
  if (values.get(STATUS_KEY)?.trim() === '0') return {}
  const out: RowOverrides = {}
  const host = values.get('EMAIL_HOST')?.trim()
  if (host) out.EMAIL_HOST = host
  const port = parseWholeNumber(values.get('EMAIL_PORT') ?? '', 1)
  if (port !== undefined && port <= 65_535) out.EMAIL_PORT = port
  const ssl = parseBool(values.get('EMAIL_SSL') ?? '')
  if (ssl !== undefined) out.EMAIL_SSL = ssl
  if (values.has('EMAIL_USERNAME')) out.EMAIL_USERNAME = values.get('EMAIL_USERNAME') ?? ''
  if (values.has('EMAIL_PASSWORD')) out.EMAIL_PASSWORD = values.get('EMAIL_PASSWORD') ?? ''
  return out
}

/**
 * The settings for one send: the environment's, with the `EMAIL` rows over them when `rowsApply`. The rows are read
 * through the config cache (every config write drops it), so a change applies to the next mail.
 */
export async function resolveEmailSettings(
  env: object,
  deps: { db: RepositoryDb | undefined; cache: Cache | undefined; rowsApply: boolean },
): Promise<EmailSettings> {
  const settings = emailEnvSettings(env)
  const { db, cache } = deps
  if (settings.EMAIL_CONFIG_FROM_ENV || !deps.rowsApply || !db) return settings
  const load = async () =>
    emailOverridesFromRows(
      await db
        .select({ key: sysConfig.key, value: sysConfig.value })
        .from(sysConfig)
        .where(eq(sysConfig.type, ConfigType.email)),
    )
  const overrides = cache ? await cache.getOrLoad(CONFIG_CACHE, ROWS_CACHE_KEY, load) : await load()
  return { ...settings, ...overrides }
}
