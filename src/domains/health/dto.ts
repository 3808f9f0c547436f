import { z } from '@hono/zod-openapi'

export const PingSchema = z
  .object({
    status: z.literal('ok'),
    api_version: z.string().openapi({ example: 'v1' }),
    time: z.string().openapi({ example: '2026-11-22T02:00:00.000Z' }),
  })
  .openapi('Ping')

const CheckSchema = z
  .object({
    status: z.enum(['up', 'down', 'not_configured']),
    latency_ms: z.number().nullable(),
    error: z.string().optional(),
  })
  .openapi('DependencyCheck')

export const HealthSchema = z
  .object({
    status: z.enum(['ok', 'degraded']),
    api_version: z.string(),
    checks: z.object({ database: CheckSchema, redis: CheckSchema, qstash: CheckSchema }),
  })
  .openapi('Health')
