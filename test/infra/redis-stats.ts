/** The Redis emulator's counters for this test file's namespace, to count the app's round trips. */
import { env } from 'cloudflare:workers'
import { z } from '@hono/zod-openapi'
import { FILE_ID } from '../helpers/isolation'

const StatsSchema = z.object({
  namespaces: z.record(z.string(), z.object({ requests: z.number(), commands: z.number() })),
})

/** HTTP requests and Redis commands (a pipeline of 10 counts 10) this file's namespace has seen so far. */
export async function redisStats(): Promise<{ requests: number; commands: number }> {
  const res = await fetch(`${String(env.TEST_REDIS_URL)}/_emulator/stats`)
  const stats = StatsSchema.parse(await res.json())
  return stats.namespaces[`t_${FILE_ID}`] ?? { requests: 0, commands: 0 }
}
