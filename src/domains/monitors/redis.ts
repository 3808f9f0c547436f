/**
 * `/monitors/redis` (docs/fba-compatibility.md, "Monitors") and the rate-limit admin endpoints `/monitors/rate-limits`.
 *
 * The Redis monitor reads `INFO`, `INFO commandstats` and `DBSIZE` through the Upstash client (`redis.exec` is its
 * generic-command escape hatch; it has no INFO helper). The three calls go out in parallel. On Upstash, `INFO` is
 * answered by the service itself and may lack some fields: those read as "Unknown" (localized).
 */
import type { Context } from 'hono'
import { formatDateTime } from '../../core/datetime'
import { NotFoundError, ServiceUnavailableError } from '../../core/errors'
import { type Lang, type MessageKey, t } from '../../core/i18n'
import type { AppEnv } from '../../http/context'
import {
  formatIdentity,
  type Identity,
  inspectIdentity,
  parseIdentity,
  rateLimitRule,
  rateLimitRuleNames,
  resetIdentity,
} from '../../http/middleware/rate-limit-rules'
import { defineRoute, jsonEnvelope, z } from '../../http/openapi'
import { ok } from '../../http/respond'
import { createRouter } from '../../http/router'
import type { Redis } from '../../infra/redis'
import { required } from '../../infra/services'
import { MONITOR_PERMS } from './perms'

// ---------------------------------------------------------------------------------------------------------------
// DTOs

/** The `info` fields fba's admin UI shows, in its order; all strings. */
export const REDIS_INFO_FIELDS = [
  'redis_version',
  'redis_mode',
  'role',
  'tcp_port',
  'uptime',
  'connected_clients',
  'blocked_clients',
  'used_memory_human',
  'used_memory_rss_human',
  'maxmemory_human',
  'mem_fragmentation_ratio',
  'instantaneous_ops_per_sec',
  'total_commands_processed',
  'rejected_connections',
  'keys_num',
] as const

type RedisInfoField = (typeof REDIS_INFO_FIELDS)[number]

export const RedisInfoSchema = z
  .object(Object.fromEntries(REDIS_INFO_FIELDS.map((f) => [f, z.string()])) as Record<RedisInfoField, z.ZodString>)
  .openapi('RedisInfo', {
    example: {
      redis_version: '7.2.4',
      redis_mode: 'standalone',
      role: 'master',
      tcp_port: '6379',
      uptime: '3 days 2 hours 5 minutes',
      connected_clients: '4',
      blocked_clients: '0',
      used_memory_human: '1.20M',
      used_memory_rss_human: '9.80M',
      maxmemory_human: '0B',
      mem_fragmentation_ratio: '8.15',
      instantaneous_ops_per_sec: '12',
      total_commands_processed: '48211',
      rejected_connections: '0',
      keys_num: '42',
    },
  })

export const RedisCommandStatSchema = z
  .object({
    name: z.string().openapi({ description: 'Command (the part after `cmdstat_`)', example: 'get' }),
    value: z.string().openapi({ description: 'Number of calls', example: '1024' }),
  })
  .openapi('RedisCommandStat')

export const RedisMonitorSchema = z
  .object({ info: RedisInfoSchema, stats: z.array(RedisCommandStatSchema) })
  .openapi('RedisMonitor')

export type RedisMonitor = z.infer<typeof RedisMonitorSchema>

export const RateLimitQuerySchema = z.object({
  rule: z.string().min(1).max(100).openapi({ description: 'Rule name, e.g. `auth.login` or `default`' }),
  identifier: z.string().min(1).max(200).openapi({
    description: '`ip:<address>` (or a bare address), `user:<id>`, `key:<digest>` or `custom:<value>`',
    example: 'ip:203.0.113.7',
  }),
})

export const RateLimitStateSchema = z
  .object({
    rule: z.string(),
    identifier: z.string().openapi({ description: 'Normalized (IPv6 addresses count by their /64)' }),
    blocked: z.boolean().openapi({ description: 'True when a rate has no request left' }),
    rates: z.array(
      z.object({
        algorithm: z.enum(['slidingWindow', 'fixedWindow', 'tokenBucket']),
        limit: z.number().int(),
        window: z.string().openapi({ example: '60 s' }),
        remaining: z.number().int(),
        reset: z.number().int().openapi({ description: 'Seconds until the window resets' }),
        reset_time: z.string().openapi({ example: '2026-11-22 02:01:00' }),
      }),
    ),
  })
  .openapi('RateLimitState')

// ---------------------------------------------------------------------------------------------------------------
// Service

/** `INFO` text → `{ field: value }` (section headers and blank lines skipped). */
export function parseInfo(text: string): Record<string, string> {
  const out: Record<string, string> = {}
  for (const line of text.split(/\r?\n/)) {
    if (!line || line.startsWith('#')) continue
    const colon = line.indexOf(':')
    if (colon > 0) out[line.slice(0, colon)] = line.slice(colon + 1).trim()
  }
  return out
}

const UPTIME_UNITS: ReadonlyArray<[seconds: number, one: MessageKey, many: MessageKey]> = [
  [86_400, 'monitor.duration.day', 'monitor.duration.days'],
  [3600, 'monitor.duration.hour', 'monitor.duration.hours'],
  [60, 'monitor.duration.minute', 'monitor.duration.minutes'],
  [1, 'monitor.duration.second', 'monitor.duration.seconds'],
]

/** `266700` → `3 days 2 hours 5 minutes`; zero parts are left out; `0` → `0 seconds` (as fba's `fmt_seconds`). */
export function formatUptime(totalSeconds: number, lang: Lang): string {
  let rest = Math.max(0, Math.floor(Number.isFinite(totalSeconds) ? totalSeconds : 0))
  const parts: string[] = []
  for (const [size, one, many] of UPTIME_UNITS) {
    const count = Math.floor(rest / size)
    rest -= count * size
    if (count) parts.push(t(lang, count === 1 ? one : many, { count }))
  }
  return parts.length ? parts.join(' ') : t(lang, 'monitor.duration.seconds', { count: 0 })
}

/** `cmdstat_get:calls=3,usec=…` lines → `[{ name: 'get', value: '3' }]`, in INFO's order. */
export function commandStats(info: Record<string, string>): RedisMonitor['stats'] {
  return Object.entries(info)
    .filter(([key]) => key.startsWith('cmdstat_'))
    .map(([key, value]) => ({ name: key.slice('cmdstat_'.length), value: /(?:^|,)calls=(\d+)/.exec(value)?.[1] ?? '' }))
}

export async function redisMonitor(redis: Redis, lang: Lang): Promise<RedisMonitor> {
  let texts: [string, string, number]
  try {
    texts = await Promise.all([
      redis.exec<string>(['INFO']),
      redis.exec<string>(['INFO', 'commandstats']),
      redis.dbsize(),
    ])
  } catch (err) {
    throw new ServiceUnavailableError(undefined, { data: { service: 'redis', reason: 'INFO failed' }, cause: err })
  }
  const [infoText, statsText, keys] = texts
  const raw = parseInfo(String(infoText))
  const unknown = t(lang, 'monitor.unknown')
  const info = Object.fromEntries(REDIS_INFO_FIELDS.map((f) => [f, raw[f] ?? unknown])) as Record<
    RedisInfoField,
    string
  >
  info.uptime = raw.uptime_in_seconds === undefined ? unknown : formatUptime(Number(raw.uptime_in_seconds), lang)
  info.keys_num = String(keys)
  return { info, stats: commandStats(parseInfo(String(statsText))) }
}

// ---------------------------------------------------------------------------------------------------------------
// Routes

const TAGS = ['Monitors']

const redisRoute = defineRoute({
  method: 'get',
  path: '/monitors/redis',
  tags: TAGS,
  summary: 'Redis monitor: server info and command statistics',
  access: { permission: MONITOR_PERMS.redis },
  sensitive: true,
  errors: [503],
  responses: { 200: jsonEnvelope(RedisMonitorSchema, 'Redis info and command stats') },
})

const inspectRoute = defineRoute({
  method: 'get',
  path: '/monitors/rate-limits',
  tags: TAGS,
  summary: "One identifier's standing under a rate-limit rule (consumes nothing)",
  access: { permission: MONITOR_PERMS.rateLimits },
  sensitive: true,
  errors: [404, 503],
  request: { query: RateLimitQuerySchema },
  responses: { 200: jsonEnvelope(RateLimitStateSchema, 'Remaining requests and reset per rate') },
})

const resetRoute = defineRoute({
  method: 'delete',
  path: '/monitors/rate-limits',
  tags: TAGS,
  summary: 'Reset what an identifier has used under a rate-limit rule',
  access: 'superuser',
  errors: [404, 503],
  request: { query: RateLimitQuerySchema },
  responses: { 200: jsonEnvelope(z.null(), 'Counters reset') },
})

function ruleAndIdentity(c: Context<AppEnv>, query: { rule: string; identifier: string }) {
  const rule = rateLimitRule(query.rule)
  if (!rule)
    throw new NotFoundError('rate_limit.rule_not_found', {
      params: { rule: query.rule, rules: rateLimitRuleNames().join(', ') },
    })
  const identity: Identity = parseIdentity(query.identifier)
  return { rule, identity, redis: required(c.get('services').redis, 'redis') }
}

export function redisMonitorRoutes() {
  return createRouter()
    .openapi(redisRoute, async (c) =>
      ok(c, await redisMonitor(required(c.get('services').redis, 'redis'), c.get('lang'))),
    )
    .openapi(inspectRoute, async (c) => {
      const query = c.req.valid('query')
      const { rule, identity, redis } = ruleAndIdentity(c, query)
      const states = await inspectIdentity(redis, c.get('config'), rule, identity)
      const now = Date.now()
      return ok(c, {
        rule: rule.name,
        identifier: formatIdentity(identity),
        blocked: states.some((s) => s.remaining <= 0),
        rates: states.map((s) => ({
          algorithm: s.algorithm,
          limit: s.limit,
          window: s.window,
          remaining: s.remaining,
          reset: Math.max(0, Math.ceil((s.reset - now) / 1000)),
          reset_time: formatDateTime(new Date(s.reset)) ?? '',
        })),
      })
    })
    .openapi(resetRoute, async (c) => {
      const { rule, identity, redis } = ruleAndIdentity(c, c.req.valid('query'))
      await resetIdentity(redis, c.get('config'), rule, identity)
      c.get('logger').info('rate limit reset', {
        rule: rule.name,
        identifier: formatIdentity(identity),
        by: c.get('userId'),
      })
      return ok(c, null)
    })
}
