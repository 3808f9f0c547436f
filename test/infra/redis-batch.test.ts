/**
 * `RedisBatch` (src/infra/redis-batch.ts): commands queued by several parts go out as one request, each part gets its
 * own replies, a command's error stays its own, and what comes after the send (a limiter's EVAL after NOSCRIPT) goes
 * out alone.
 */
import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { Deadline } from '../../src/infra/deadline'
import { fetchTransport, leanReplies, UpstashRequester } from '../../src/infra/redis'
import { RedisBatch } from '../../src/infra/redis-batch'
import { FILE_ID, fileBindings } from '../helpers/isolation'
import { redisStats } from './redis-stats'

const batch = () =>
  new RedisBatch(
    leanReplies(
      new UpstashRequester(
        String(env.UPSTASH_REDIS_REST_TOKEN),
        fetchTransport(String(fileBindings.UPSTASH_REDIS_REST_URL)),
        new Deadline('redis', 5000),
      ),
    ),
  )

const key = (name: string) => `redis-batch:${FILE_ID}:${name}`

describe('RedisBatch', () => {
  it('sends every queued command in one request and answers each its own reply', async () => {
    const b = batch()
    const set = b.add(['SET', key('a'), 'x'])
    const read = b.add(['GET', key('a')])
    const missing = b.add(['GET', key('missing')])
    const before = await redisStats()
    await b.send()
    expect((await redisStats()).requests - before.requests).toBe(1)
    expect(await set).toBe('OK')
    expect(await read).toBe('x')
    expect(await missing).toBeNull()
  })

  it("keeps a command's error to its own reply: the others still answer", async () => {
    const b = batch()
    const set = b.add(['SET', key('text'), 'not a number'])
    const wrong = b.add(['INCR', key('text')])
    const right = b.add(['INCR', key('counter')])
    await b.send()
    expect(await set).toBe('OK')
    await expect(wrong).rejects.toThrow(/not an integer/)
    expect(await right).toBeGreaterThanOrEqual(1)
  })

  it('gives a limiter the NOSCRIPT error it falls back on, and sends what comes after the batch alone', async () => {
    const b = batch()
    const unknown = b.scripts.evalsha('0'.repeat(40), [key('s')], [1])
    await b.send()
    // @upstash/ratelimit retries with EVAL when the error says NOSCRIPT.
    await expect(unknown).rejects.toThrow(/NOSCRIPT/)
    const before = await redisStats()
    expect(await b.scripts.eval('return ARGV[1] + 1', [key('s')], [41])).toBe(42)
    expect((await redisStats()).requests - before.requests).toBe(1)
  })

  it('rejects every reply when the request fails, without an unhandled rejection for unread ones', async () => {
    const down = new RedisBatch(
      leanReplies(new UpstashRequester('token', fetchTransport('http://127.0.0.1:9'), new Deadline('redis', 1000))),
    )
    const read = down.add(['GET', key('a')])
    down.add(['GET', key('unread')])
    await down.send()
    await expect(read).rejects.toThrow()
  })
})
