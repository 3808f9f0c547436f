/**
 * `@upstash/ratelimit` 2.2.0 against the emulator: its Lua scripts carry `#!lua flags=allow-key-locking`,
 * which real Redis rejects, and it addresses them by precomputed SHA1 — both handled by the emulator.
 * Windows are 1–2 s so the file stays fast.
 */
import { Ratelimit } from '@upstash/ratelimit'
import { Redis } from '@upstash/redis'
import { describe, expect, it } from 'vitest'
import { useRedisEmulator } from './redis-emulator'

const TOKEN = 'ratelimit-test-token'
const emulator = useRedisEmulator(TOKEN)

function redisFor(namespace: string): Redis {
  return new Redis({ url: emulator().namespaceUrl(namespace), token: TOKEN, enableTelemetry: false, retry: false })
}

function limiter(namespace: string, algorithm: ConstructorParameters<typeof Ratelimit>[0]['limiter']): Ratelimit {
  return new Ratelimit({ redis: redisFor(namespace), limiter: algorithm, prefix: namespace, ephemeralCache: false })
}

async function stats(namespace: string): Promise<{ requests: number; commands: number }> {
  const res = await fetch(`${emulator().url}/_emulator/stats`)
  const body = (await res.json()) as { namespaces: Record<string, { requests: number; commands: number }> }
  return body.namespaces[namespace] ?? { requests: 0, commands: 0 }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/**
 * Fixed and sliding windows are aligned to multiples of the window on the clock: a test that counts calls must
 * not straddle a boundary, so start it early in a window.
 */
async function earlyInWindow(windowMs = 2_000): Promise<void> {
  const into = Date.now() % windowMs
  if (into > windowMs / 2) await sleep(windowMs - into + 10)
}

describe.each([
  { name: 'fixedWindow', algorithm: () => Ratelimit.fixedWindow(3, '2 s') },
  { name: 'slidingWindow', algorithm: () => Ratelimit.slidingWindow(3, '2 s') },
  { name: 'tokenBucket', algorithm: () => Ratelimit.tokenBucket(1, '2 s', 3) },
])('$name', ({ name, algorithm }) => {
  it('allows up to the limit, then blocks with limit/remaining/reset', async () => {
    const rl = limiter(`rl-${name}`, algorithm())
    await earlyInWindow()
    const before = Date.now()
    const results = []
    for (let i = 0; i < 4; i++) {
      const result = await rl.limit('user-1')
      await result.pending
      results.push(result)
    }
    expect(results.map((r) => r.success)).toEqual([true, true, true, false])
    expect(results.map((r) => r.remaining)).toEqual([2, 1, 0, 0])
    for (const result of results) {
      expect(result.limit).toBe(3)
      expect(result.reset).toBeGreaterThan(before)
      expect(result.reset).toBeLessThanOrEqual(Date.now() + 2_500)
    }
    // Another identifier has its own budget.
    expect((await rl.limit('user-2')).success).toBe(true)
  })

  it('getRemaining and resetUsedTokens', async () => {
    const rl = limiter(`rl-${name}-remaining`, algorithm())
    await earlyInWindow()
    expect((await rl.getRemaining('user')).remaining).toBe(3)
    await rl.limit('user')
    const after = await rl.getRemaining('user')
    expect(after.remaining).toBe(2)
    expect(after.limit).toBe(3)
    await rl.limit('user')
    await rl.limit('user')
    expect((await rl.limit('user')).success).toBe(false)
    await rl.resetUsedTokens('user')
    expect((await rl.getRemaining('user')).remaining).toBe(3)
    expect((await rl.limit('user')).success).toBe(true)
  })
})

describe('scripts and round trips', () => {
  it('after the first NOSCRIPT → EVAL, the precomputed SHA is served: one request per limit()', async () => {
    const rl = limiter('rl-roundtrips', Ratelimit.fixedWindow(100, '2 s'))
    await rl.limit('warm-up') // EVALSHA → NOSCRIPT, then EVAL registers the script
    const before = await stats('rl-roundtrips')
    for (let i = 0; i < 5; i++) await rl.limit(`id-${i}`)
    const after = await stats('rl-roundtrips')
    expect(after.requests - before.requests).toBe(5)
    expect(after.commands - before.commands).toBe(5)
  })

  it('a fixed window opens again once it has passed', async () => {
    const rl = limiter('rl-window', Ratelimit.fixedWindow(1, '1 s'))
    await earlyInWindow(1_000)
    expect((await rl.limit('u')).success).toBe(true)
    const blocked = await rl.limit('u')
    expect(blocked.success).toBe(false)
    await sleep(Math.max(0, blocked.reset - Date.now()) + 50)
    expect((await rl.limit('u')).success).toBe(true)
  })
})

describe('ephemeral cache', () => {
  it('blocks from the in-memory Map without a Redis round trip', async () => {
    const cache = new Map<string, number>()
    const rl = new Ratelimit({
      redis: redisFor('rl-cache'),
      limiter: Ratelimit.fixedWindow(2, '2 s'),
      prefix: 'rl-cache',
      ephemeralCache: cache,
    })
    await earlyInWindow()
    expect((await rl.limit('u')).success).toBe(true)
    expect((await rl.limit('u')).success).toBe(true)
    const blocked = await rl.limit('u')
    expect(blocked.success).toBe(false)
    expect(cache.size).toBe(1)

    const before = await stats('rl-cache')
    const cached = await rl.limit('u')
    expect(cached.success).toBe(false)
    expect(cached.reason).toBe('cacheBlock')
    expect((await stats('rl-cache')).requests).toBe(before.requests)
  })
})
