/**
 * A stalled Redis — redis-server stopped with SIGSTOP, not killed — behind the Upstash emulator: the emulator keeps
 * the request open (what the Worker fault tests, test/app/faults.test.ts, rely on), and the Node host's Redis client
 * (src/infra/node/upstash-http.ts) gives up at `REDIS_TIMEOUT_MS` with the typed 503 instead of waiting for it.
 * Here rather than in test/infra/node: it runs a redis-server of its own (the fault harness's belongs to the Worker
 * fault tests, which may run at the same time), which needs the Node-typed tools.
 */
import { afterAll, beforeAll, expect, it } from 'vitest'
import { loadConfig } from '../../../src/core/config'
import { DependencyUnavailableError } from '../../../src/infra/deadline'
import { nodeRedis } from '../../../src/infra/node/upstash-http'
import { type RunningRedisEmulator, startRedisEmulator, startRedisServer } from '../../../tools/emulators/redis'
import type { RunningRedisServer } from '../../../tools/emulators/redis/redis-server'

const TOKEN = 'stall-test'
let server: RunningRedisServer
let emulator: RunningRedisEmulator

beforeAll(async () => {
  server = await startRedisServer({ databases: 4 })
  emulator = await startRedisEmulator({ token: TOKEN, redisUrl: server.url })
})

afterAll(async () => {
  process.kill(server.pid, 'SIGCONT')
  await emulator.close()
  await server.close()
})

/** A client as one request builds it: with this deadline (default: config's). */
const clientFor = (timeout?: string) => {
  const config = loadConfig({
    ENVIRONMENT: 'test',
    UPSTASH_REDIS_REST_URL: emulator.url,
    UPSTASH_REDIS_REST_TOKEN: TOKEN,
    ...(timeout ? { REDIS_TIMEOUT_MS: timeout } : {}),
  })
  const redis = nodeRedis(config)
  if (!redis) throw new Error('not configured')
  return redis
}

it('gives up at REDIS_TIMEOUT_MS while Redis is stopped, and gets the answer once it resumes', async () => {
  const redis = clientFor('200')
  await redis.set('k', 'v')
  process.kill(server.pid, 'SIGSTOP')
  try {
    const started = performance.now()
    const err = await redis.get('k').catch((e: unknown) => e)
    expect(err).toBeInstanceOf(DependencyUnavailableError)
    expect(err).toMatchObject({ service: 'redis', reason: 'timeout' })
    // Far from 200 ms (a loaded run adds to it) and far from a hang: this checks that the deadline cut it off.
    expect(performance.now() - started).toBeLessThan(3000)
  } finally {
    process.kill(server.pid, 'SIGCONT')
  }
  expect(await clientFor().get('k')).toBe('v')
})
