/**
 * One zod schema over the Worker's bindings, vars and secrets. Parsed once per `env` object (a WeakMap keyed by it,
 * which holds no I/O) so a request pays for parsing only on an isolate's first request.
 * Invalid config fails fast: the first request answers 500 with one message listing every bad key (details only
 * outside production; always logged).
 */
import { z } from 'zod'
import { DEFAULT_LANG } from './i18n'
import { toFieldErrors } from './validation'

/** Production Workers refuse PBKDF2 above this count (miniflare doesn't), so a larger one would only fail once deployed. */
export const PBKDF2_MAX_ITERATIONS = 100_000

const bool = z
  .union([z.boolean(), z.enum(['true', 'false', '1', '0', 'yes', 'no', 'on', 'off', ''])])
  .transform((v) => v === true || v === 'true' || v === '1' || v === 'yes' || v === 'on')

const list = z
  .union([z.array(z.string()), z.string()])
  .transform((v) => (Array.isArray(v) ? v : v.split(',')).map((s) => s.trim()).filter(Boolean))

/** The config keys of the login and user-security settings (core/settings.ts), which the `config` plugin may override. */
export const SETTING_ENV_KEYS = [
  'LOGIN_CAPTCHA_ENABLED',
  'LOGIN_CAPTCHA_EXPIRE_SECONDS',
  'LOGIN_CAPTCHA_FAILURE_THRESHOLD',
  'USER_LOCK_THRESHOLD',
  'USER_LOCK_SECONDS',
  'USER_PASSWORD_EXPIRY_DAYS',
  'USER_PASSWORD_REMINDER_DAYS',
  'USER_PASSWORD_HISTORY_CHECK_COUNT',
  'USER_PASSWORD_MIN_LENGTH',
  'USER_PASSWORD_MAX_LENGTH',
  'USER_PASSWORD_REQUIRE_SPECIAL_CHAR',
] as const
export type SettingEnvKey = (typeof SETTING_ENV_KEYS)[number]

const httpUrl = z.url({ protocol: /^(https?|libsql|wss?)$/ })

/** `{ "v1": { "deprecated": "2026-10-01", "sunset": "2027-06-30" } }` — as a JSON string (from .dev.vars) or a TOML table. */
const deprecations = z
  .union([z.string(), z.record(z.string(), z.unknown())])
  .transform((v, ctx) => {
    if (typeof v !== 'string') return v
    if (!v.trim()) return {}
    try {
      return JSON.parse(v) as unknown
    } catch {
      ctx.addIssue({ code: 'custom', message: 'must be JSON' })
      return z.NEVER
    }
  })
  .pipe(z.record(z.string().regex(/^v\d+$/), z.object({ deprecated: z.iso.date(), sunset: z.iso.date().optional() })))

/** An `OPERA_LOG_EXCLUDE` entry: `METHOD /path` or `/path`. */
const OPERA_EXCLUDE_ENTRY = /^(?:[A-Za-z]+\s+)?\/\S*$/

/** An `OPERA_LOG_EXCLUDE` entry, parsed: any method when `method` is undefined. */
export interface ExcludeRule {
  method: string | undefined
  path: string
}

function excludeRule(entry: string): ExcludeRule {
  const [first, second] = entry.split(/\s+/)
  return second === undefined
    ? { method: undefined, path: first as string }
    : { method: (first as string).toUpperCase(), path: second }
}

/** A deadline in milliseconds: at least 1 (an outbound call always has one), at most a minute. */
const deadline = z.coerce.number().int().min(1).max(60_000)

export const ENVIRONMENTS = ['development', 'test', 'production'] as const

/** One rate of a rate-limit rule, as read from config (`window` in the `@upstash/ratelimit` duration syntax). */
export interface ConfigRate {
  limit: number
  window: `${number} ${'ms' | 's' | 'm' | 'h' | 'd'}`
}

/** Defaults of the rate-limit config keys (also shown in the OpenAPI `x-rate-limit` of the routes using them). */
export const RATE_LIMIT_CONFIG_DEFAULTS = {
  RATE_LIMIT_DEFAULT: '600/60s',
  RATE_LIMIT_LOGIN: '5/60s',
  RATE_LIMIT_CAPTCHA: '5/30s',
  RATE_LIMIT_EMAIL_CAPTCHA: '3/60s,10/1h',
} as const

const RATE_SPEC = /^(\d+)\s*\/\s*(\d+)\s*(ms|s|m|h|d)$/

/** `5/60s`, or several rates that must all pass: `10/1s,100/60s` (units ms, s, m, h, d). Empty = no limit. */
const rateList = z.string().transform((v, ctx): ConfigRate[] => {
  const rates: ConfigRate[] = []
  for (const part of v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const match = RATE_SPEC.exec(part)
    const limit = Number(match?.[1])
    const amount = Number(match?.[2])
    if (!match || limit < 1 || amount < 1) {
      ctx.addIssue({ code: 'custom', message: `"${part}" is not a rate like 5/60s or 10/1s,100/60s` })
      return z.NEVER
    }
    rates.push({ limit, window: `${amount} ${match[3] as 'ms' | 's' | 'm' | 'h' | 'd'}` })
  }
  return rates
})

/**
 * Keys a production deployment must set (README "Deploying" lists them, and how). QStash delivers tasks to
 * `PUBLIC_URL` and the consumer route checks its signatures with both signing keys.
 */
export const PRODUCTION_REQUIRED_KEYS = [
  'JWT_SECRET',
  'PASSWORD_PEPPER',
  'TURSO_DATABASE_URL',
  'UPSTASH_REDIS_REST_URL',
  'UPSTASH_REDIS_REST_TOKEN',
  'QSTASH_TOKEN',
  'QSTASH_CURRENT_SIGNING_KEY',
  'QSTASH_NEXT_SIGNING_KEY',
  'PUBLIC_URL',
] as const

/** A database hosted by Turso (`*.turso.io`), which refuses every query without `TURSO_AUTH_TOKEN`. */
export const isTursoHosted = (url: string): boolean => {
  try {
    return /(^|\.)turso\.io$/.test(new URL(url).hostname)
  } catch {
    return false
  }
}

export const configSchema = z
  .object({
    ENVIRONMENT: z.enum(ENVIRONMENTS).default('development'),
    APP_NAME: z.string().min(1).default('Stratum'),
    LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
    /**
     * This deployment's public origin (`https://api.example.com`; a path prefix is kept, e.g. behind a proxy). QStash delivers tasks to
     * `<PUBLIC_URL>/api/v1/qstash/...` and the consumer route checks the signed URL against it; `npm run dev` sets it to
     * the local server. Without it, submitting a task is a 503.
     */
    PUBLIC_URL: z
      .url({ protocol: /^https?$/ })
      .transform((url) => url.replace(/\/+$/, ''))
      .optional(),
    /** IANA timezone crontab schedules are evaluated in (`Asia/Shanghai`); datetimes on the wire stay UTC. */
    DATETIME_TIMEZONE: z
      .string()
      .refine((tz) => {
        try {
          new Intl.DateTimeFormat('en-US', { timeZone: tz })
          return true
        } catch {
          return false
        }
      }, 'must be an IANA timezone, e.g. UTC or Asia/Shanghai')
      .default('UTC'),
    /** Version served to an unversioned `/api/...` request without a version header. */
    API_DEFAULT_VERSION: z
      .string()
      .regex(/^v\d+$/)
      .default('v1'),
    API_DEPRECATIONS: deprecations.default({}),
    CORS_ALLOWED_ORIGINS: list.default([]),
    /**
     * `Server-Timing: total;dur=…` on every response. Default: on outside production. In production it would hand
     * clients a jitter-free measure of server work (a timing side channel, e.g. on login), so it is opt-in there.
     */
    SERVER_TIMING: bool.optional(),
    BODY_LIMIT_BYTES: z.coerce
      .number()
      .int()
      .positive()
      .default(1024 * 1024),
    DEMO_MODE: bool.default(false),
    /** `METHOD /path` entries that still pass in demo mode. */
    DEMO_MODE_ALLOWLIST: list.default([
      'POST /api/v1/auth/login',
      'POST /api/v1/auth/logout',
      'POST /api/v1/auth/refresh',
      // QStash deliveries are the app's own background work, signed; demo mode blocks visitors' writes, not these.
      'POST /api/v1/qstash/deliveries',
      'POST /api/v1/qstash/failures',
    ]),
    /**
     * Requests the operation log leaves out (docs/fba-compatibility.md, "Logs"): `METHOD /path` or `/path`, each
     * matching that path and everything below it (`/api/v1/qstash` covers both consumer routes; the login entry covers
     * the docs-UI login too). Only writes are logged at all. Default: the login routes (they have their own log),
     * refresh, the captchas and QStash's deliveries.
     */
    OPERA_LOG_EXCLUDE: list
      .pipe(z.array(z.string().refine((v) => OPERA_EXCLUDE_ENTRY.test(v), 'each entry is `METHOD /path` or `/path`')))
      .default(['POST /api/v1/auth/login', 'POST /api/v1/auth/refresh', '/api/v1/auth/captcha', '/api/v1/qstash'])
      .transform((entries) => entries.map(excludeRule)),
    /** Argument keys whose values the operation log replaces by `[REDACTED]`, at any depth (case-insensitive). */
    OPERA_LOG_REDACT_KEYS: list
      .default([
        'password',
        'old_password',
        'new_password',
        'confirm_password',
        'token',
        'access_token',
        'refresh_token',
        'secret',
        'key',
        'api_key',
        'captcha',
        'authorization',
      ])
      .transform((keys): ReadonlySet<string> => new Set(keys.map((key) => key.toLowerCase()))),
    /** Prefix of every Redis key this app writes (one Redis can serve several apps and environments). */
    REDIS_KEY_PREFIX: z
      .string()
      .regex(/^[\w.-]+$/)
      .default('stratum'),
    /** HS256 signing key for access and refresh tokens: at least 32 random bytes (secret). */
    JWT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
    JWT_ISSUER: z.string().min(1).default('stratum'),
    JWT_AUDIENCE: z.string().min(1).default('stratum-admin'),
    ACCESS_TOKEN_TTL_SECONDS: z.coerce.number().int().min(60).default(3600),
    REFRESH_TOKEN_TTL_SECONDS: z.coerce.number().int().min(300).default(604_800),
    /**
     * `POST /auth/login/swagger` (the docs UI's login). Default: on outside production; a production deployment that
     * wants it sets `true`. It obeys the captcha like `POST /auth/login`.
     */
    SWAGGER_LOGIN_ENABLED: bool.optional(),
    /** A rotated refresh token presented again within this window is treated as a lost response, not as theft. */
    REFRESH_REUSE_GRACE_SECONDS: z.coerce.number().int().min(0).max(60).default(10),
    /** Permission codes every signed-in user with an enabled role passes (fba's `RBAC_ROLE_MENU_EXCLUDE`). */
    RBAC_PERMISSION_EXCLUDE: list.default([]),
    /** Mixed into every password hash; keep it out of the database (secret). */
    PASSWORD_PEPPER: z.string().min(16, 'must be at least 16 characters').optional(),
    /**
     * PBKDF2-SHA256 iterations of new password hashes (docs/benchmarks.md, "Login"): the CPU a login costs, linear in
     * it (~13 ms at 100 000 on the bench machine). 100 000 is also the most Workers accept; lower it to fit the free
     * plan's 10 ms, never below 10 000. Stored hashes keep their own count and are redone at login when it differs.
     */
    PASSWORD_HASH_ITERATIONS: z.coerce
      .number()
      .int()
      .min(10_000)
      .max(PBKDF2_MAX_ITERATIONS)
      .default(PBKDF2_MAX_ITERATIONS),
    // Login and user-security defaults; read through core/settings.ts so the config plugin can override them.
    LOGIN_CAPTCHA_ENABLED: bool.default(true),
    LOGIN_CAPTCHA_EXPIRE_SECONDS: z.coerce.number().int().positive().default(300),
    /** Failed logins on one account from one client (IP, IPv6 /64) that lock that client out of it; 0 = never. */
    USER_LOCK_THRESHOLD: z.coerce.number().int().min(0).default(5),
    /** How long failures are counted and how long such a lock lasts. */
    USER_LOCK_SECONDS: z.coerce.number().int().positive().default(300),
    /**
     * Failed logins on one account from all clients together (within `USER_LOCK_SECONDS`) after which every login
     * to it needs a solved captcha, even with `LOGIN_CAPTCHA_ENABLED` off; 0 = never (docs/decisions.md, "Login abuse").
     */
    LOGIN_CAPTCHA_FAILURE_THRESHOLD: z.coerce.number().int().min(0).default(10),
    USER_PASSWORD_EXPIRY_DAYS: z.coerce.number().int().min(0).default(365),
    USER_PASSWORD_REMINDER_DAYS: z.coerce.number().int().min(0).default(7),
    USER_PASSWORD_HISTORY_CHECK_COUNT: z.coerce.number().int().min(0).default(3),
    USER_PASSWORD_MIN_LENGTH: z.coerce.number().int().min(1).default(6),
    USER_PASSWORD_MAX_LENGTH: z.coerce.number().int().min(1).default(32),
    USER_PASSWORD_REQUIRE_SPECIAL_CHAR: bool.default(false),
    /**
     * Login and user-security keys (above) whose value here wins over the `config` plugin's rows, e.g.
     * `LOGIN_CAPTCHA_ENABLED`. `npm run dev` names the ones set in its environment, so
     * `LOGIN_CAPTCHA_ENABLED=false npm run dev` turns the captcha off for that run (README "Local development").
     */
    SETTINGS_FROM_ENV: list.pipe(z.array(z.enum(SETTING_ENV_KEYS))).default([]),
    TURSO_DATABASE_URL: httpUrl.optional(),
    TURSO_AUTH_TOKEN: z.string().optional(),
    UPSTASH_REDIS_REST_URL: httpUrl.optional(),
    UPSTASH_REDIS_REST_TOKEN: z.string().optional(),
    QSTASH_URL: httpUrl.optional(),
    QSTASH_TOKEN: z.string().optional(),
    QSTASH_CURRENT_SIGNING_KEY: z.string().optional(),
    QSTASH_NEXT_SIGNING_KEY: z.string().optional(),
    /** Per-IP limit on every `/api/*` request (fail open). Generous: an office behind one NAT shares it. */
    RATE_LIMIT_DEFAULT: rateList.prefault(RATE_LIMIT_CONFIG_DEFAULTS.RATE_LIMIT_DEFAULT),
    /** `POST /auth/login` per IP (fail closed), fba's 5 per minute. */
    RATE_LIMIT_LOGIN: rateList.prefault(RATE_LIMIT_CONFIG_DEFAULTS.RATE_LIMIT_LOGIN),
    /** `GET /auth/captcha` per IP (fail closed), fba's 5 per 30 seconds. */
    RATE_LIMIT_CAPTCHA: rateList.prefault(RATE_LIMIT_CONFIG_DEFAULTS.RATE_LIMIT_CAPTCHA),
    /** `POST /emails/captcha` per user (fail closed): each call sends mail (fba has no limit there). */
    RATE_LIMIT_EMAIL_CAPTCHA: rateList.prefault(RATE_LIMIT_CONFIG_DEFAULTS.RATE_LIMIT_EMAIL_CAPTCHA),
    /** A rate-limit check slower than this counts as Redis unavailable (fail-open rules pass, fail-closed get 503); 0 = wait. */
    RATE_LIMIT_TIMEOUT_MS: z.coerce.number().int().min(0).max(30_000).default(1000),
    // Deadlines of outbound calls (docs/decisions.md, "Deadlines"): one request to the service, retries included. A
    // miss is a 503 with `Retry-After`, never a hang; a request that saw one miss does not wait for that service again.
    /** Deadline of one Redis request (a command or a pipeline). */
    REDIS_TIMEOUT_MS: deadline.default(1000),
    /** Deadline of one libSQL HTTP request (a statement, a batch, one step of a transaction). */
    DB_TIMEOUT_MS: deadline.default(5000),
    /** Deadline of one QStash API call (publish, queue and schedule management). */
    QSTASH_TIMEOUT_MS: deadline.default(3000),
    /** Deadline of one call to the realtime hub (a push, a kick, the online check); a miss is logged, never a 503. */
    REALTIME_TIMEOUT_MS: deadline.default(2000),
    /** Deadline of one call to the uploads bucket (R2: storing a file of up to 20 MB, or opening one to serve). */
    STORAGE_TIMEOUT_MS: deadline.default(10_000),
    /** `Retry-After` (seconds) of a 503 whose dependency is unavailable. */
    UNAVAILABLE_RETRY_AFTER_SECONDS: z.coerce.number().int().min(1).max(3600).default(5),
  })
  .superRefine((cfg, ctx) => {
    if (cfg.ENVIRONMENT !== 'production') return
    // Production must have every secret and service it uses: a missing one would otherwise surface only at the first
    // login or query, behind a healthy-looking /health. All of them are reported together (one ConfigError).
    for (const key of PRODUCTION_REQUIRED_KEYS) {
      if (!cfg[key]) ctx.addIssue({ code: 'custom', path: [key], message: 'required in production' })
    }
    // Turso's hosted databases refuse every query without a token; a self-hosted libSQL server may not need one.
    if (cfg.TURSO_DATABASE_URL && isTursoHosted(cfg.TURSO_DATABASE_URL) && !cfg.TURSO_AUTH_TOKEN)
      ctx.addIssue({
        code: 'custom',
        path: ['TURSO_AUTH_TOKEN'],
        message: 'required in production for a Turso database (*.turso.io)',
      })
  })

export type Config = z.infer<typeof configSchema>

export class ConfigError extends Error {
  override readonly name = 'ConfigError'
  constructor(readonly problems: string[]) {
    super(`Invalid configuration: ${problems.join('; ')}`)
  }
}

/**
 * Reads settings out of the Worker's env with `schema`: parsed once per env object (a WeakMap keyed by it), or one
 * `ConfigError` naming every bad key. Core config and each plugin's own settings (plugins/env-settings.ts) use it.
 */
export function envReader<S extends z.ZodType>(schema: S): (env: object) => z.output<S> {
  const cache = new WeakMap<object, z.output<S>>()
  return (env) => {
    const hit = cache.get(env)
    if (hit !== undefined) return hit
    const result = schema.safeParse(env)
    if (!result.success) {
      // The same message builder as request validation (zod's raw messages carry our `received:` annotation).
      const errors = toFieldErrors(result.error.issues, 'config', DEFAULT_LANG)
      throw new ConfigError(errors.map((e) => `${e.loc.slice(1).join('.') || '(root)'}: ${e.msg}`))
    }
    cache.set(env, result.data)
    return result.data
  }
}

/** Parses (once per env object) or throws one `ConfigError` naming every bad key. */
export const loadConfig: (env: object) => Config = envReader(configSchema)

export const isProduction = (config: Config): boolean => config.ENVIRONMENT === 'production'

/** Whether `POST /auth/login/swagger` is served (config `SWAGGER_LOGIN_ENABLED`; default: outside production only). */
export const swaggerLoginOn = (config: Config): boolean => config.SWAGGER_LOGIN_ENABLED ?? !isProduction(config)

/** Whether responses carry `Server-Timing` (config `SERVER_TIMING`; default: outside production only). */
export const serverTimingOn = (config: Config): boolean => config.SERVER_TIMING ?? !isProduction(config)
