/** The two-level cache against the real Redis emulator. */

import { describe, expect, it } from 'vitest'
import { Cache, cached, invalidates, LocalStore } from '../../src/infra/cache'
import { decodeCacheValue, encodeCacheValue } from '../../src/infra/cache-codec'
import { sleep } from '../helpers/fixtures'
import { fileRedis } from '../helpers/isolation'
import { redisStats } from './redis-stats'

/** A cache as seen from one isolate (its own L1). */
const isolate = (l1Seconds = 5) => new Cache(fileRedis(), { prefix: 'test', l1Seconds, local: new LocalStore() })

const redisRequests = async () => (await redisStats()).requests

describe('cache', () => {
  it('loads once, then serves from L1 with no Redis request at all', async () => {
    const cache = isolate()
    let loads = 0
    const load = async () => ++loads
    expect(await cache.getOrLoad('n1', 'k', load)).toBe(1)
    const before = await redisRequests()
    expect(await cache.getOrLoad('n1', 'k', load)).toBe(1)
    expect(await redisRequests()).toBe(before)
    expect(loads).toBe(1)
  })

  it('serves another isolate from Redis without reloading', async () => {
    let loads = 0
    await isolate().getOrLoad('n2', 'k', async () => ++loads)
    expect(await isolate().getOrLoad('n2', 'k', async () => ++loads)).toBe(1)
    expect(loads).toBe(1)
  })

  it('makes a write visible to another isolate within the L1 bound', async () => {
    const a = isolate(0.3)
    const b = isolate(0.3)
    let version = 1
    const load = async () => version
    expect(await a.getOrLoad('n3', 'k', load)).toBe(1)
    expect(await b.getOrLoad('n3', 'k', load)).toBe(1)
    version = 2
    await a.invalidate('n3', 'k')
    expect(await a.getOrLoad('n3', 'k', load)).toBe(2) // the writer sees it at once
    expect(await b.getOrLoad('n3', 'k', load)).toBe(1) // b may serve its L1 until it expires…
    await sleep(350)
    expect(await b.getOrLoad('n3', 'k', load)).toBe(2) // …and no longer than that
  })

  it('invalidates a whole namespace with one generation bump', async () => {
    const a = isolate(0)
    let version = 1
    await a.getOrLoad('n4', 'x', async () => version)
    await a.getOrLoad('n4', 'y', async () => version)
    version = 2
    await isolate(0).invalidateAll('n4')
    expect(await a.getOrLoad('n4', 'x', async () => version)).toBe(2)
    expect(await a.getOrLoad('n4', 'y', async () => version)).toBe(2)
  })

  it('shares one load between concurrent misses in an isolate', async () => {
    const cache = isolate()
    let loads = 0
    const slow = async () => {
      loads++
      await sleep(50)
      return 'v'
    }
    const results = await Promise.all(Array.from({ length: 10 }, () => cache.getOrLoad('n5', 'k', slow)))
    expect(results).toEqual(Array(10).fill('v'))
    expect(loads).toBe(1)
  })

  it('expires entries after their TTL', async () => {
    const cache = isolate(0)
    await cache.set('n6', 'k', 'v', 1)
    expect(await cache.get('n6', 'k')).toBe('v')
    await sleep(1100)
    expect(await cache.get('n6', 'k')).toBeNull()
  })

  it('keeps Dates, big integers, null and unicode through Redis', async () => {
    const value = {
      at: new Date('2026-11-22T02:00:00.123Z'),
      big: 2n ** 63n - 1n,
      none: null,
      s: '数据 ✓',
      list: [new Date(0), 1n],
    }
    const cache = isolate(0)
    await cache.set('n7', 'k', value)
    expect(await isolate(0).get('n7', 'k')).toEqual(value)
    expect(await isolate(0).getOrLoad('n7', 'null', async () => null)).toBeNull()
    expect(decodeCacheValue(encodeCacheValue({ $date: 'not-a-number' }))).toEqual({ $date: 'not-a-number' })
  })

  it('offers declarative wrappers', async () => {
    const store = new Map([['a', 1]])
    const read = cached({ name: 'n8', key: (k: string) => k }, async (k: string) => store.get(k) ?? null)
    const write = invalidates(
      { name: 'n8', key: (k: string, _v: number) => k },
      async (k: string, v: number) => void store.set(k, v),
    )
    const cache = isolate()
    expect(await read(cache, 'a')).toBe(1)
    await write(cache, 'a', 2)
    expect(await read(cache, 'a')).toBe(2)
  })
})
