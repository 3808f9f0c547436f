/**
 * Commands newer than the Redis 7.0 backend (hash-field expiry, HGETEX/HSETEX/HGETDEL, XDELEX/XACKDEL,
 * BITOP DIFF|DIFF1|ANDOR|ONE) and the places where Upstash answers differently from Redis — all through
 * `@upstash/redis`, as its own test suite calls them (docs/emulators/redis.md).
 */
import { Redis } from '@upstash/redis'
import { beforeAll, describe, expect, it } from 'vitest'
import { useRedisEmulator } from './redis-emulator'

const TOKEN = 'redis-newer-token'
const emulator = useRedisEmulator(TOKEN)

function client(namespace: string): Redis {
  return new Redis({
    url: emulator().namespaceUrl(namespace),
    token: TOKEN,
    enableAutoPipelining: false,
    enableTelemetry: false,
    retry: false,
  })
}

/** Polls until `check` holds (field deadlines pass on Redis's clock; no fixed sleeps). */
async function waitFor(check: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 5_000
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 5))
  }
}

describe('hash-field expiry', () => {
  let redis: Redis
  beforeAll(async () => {
    redis = client('hash-field-expiry')
    await redis.flushdb()
  })

  it('HEXPIRE conditions answer per field, HTTL/HPTTL/HEXPIRETIME read deadlines, HPERSIST clears them', async () => {
    await redis.hset('h', { a: 1, b: 2 })
    expect(await redis.hexpire('h', 'a', 100)).toEqual([1])
    expect(await redis.hexpire('h', ['a', 'b', 'c'], 50, 'NX')).toEqual([0, 1, -2])
    expect(await redis.hexpire('h', 'a', 200, 'GT')).toEqual([1])
    expect(await redis.hexpire('h', 'a', 10, 'GT')).toEqual([0])
    expect(await redis.hexpire('h', 'b', 80, 'LT')).toEqual([0])
    expect(await redis.hexpire('h', 'b', 20, 'LT')).toEqual([1])
    expect(await redis.hset('h', { c: 3 })).toBe(1)
    expect(await redis.hexpire('h', 'c', 5, 'XX')).toEqual([0])
    expect(await redis.httl('h', ['a', 'b', 'c', 'nope'])).toEqual([200, 20, -1, -2])
    const [pttl] = await redis.hpttl('h', 'a')
    expect(pttl).toBeGreaterThan(199_000)
    expect(pttl).toBeLessThanOrEqual(200_000)
    const at = Math.floor(Date.now() / 1000) + 1000
    expect(await redis.hexpireat('h', 'c', at)).toEqual([1])
    expect(await redis.hexpiretime('h', 'c')).toEqual([at])
    expect(await redis.hpexpiretime('h', 'c')).toEqual([at * 1000])
    expect(await redis.hpersist('h', ['c', 'c2'])).toEqual([1, -2])
    expect(await redis.hpersist('h', 'c')).toEqual([-1])
    // Overwriting a value clears its deadline; a past deadline deletes the field at once (2).
    await redis.hset('h', { a: 'new' })
    expect(await redis.httl('h', 'a')).toEqual([-1])
    expect(await redis.hpexpireat('h', 'b', Date.now() - 1000)).toEqual([2])
    expect(await redis.hget('h', 'b')).toBeNull()
    expect(await redis.httl('missing', 'a')).toEqual([-2])
  })

  it('expired fields are gone for every hash read, and the hash with its last field', async () => {
    await redis.hset('session', { token: 'abc', user: 'ada', keep: 'me' })
    expect(await redis.hpexpire('session', ['token', 'user'], 1)).toEqual([1, 1])
    await waitFor(async () => (await redis.hlen('session')) === 1, 'the fields to expire')
    expect(await redis.hget('session', 'token')).toBeNull()
    expect(await redis.hgetall('session')).toEqual({ keep: 'me' })
    expect(await redis.hkeys('session')).toEqual(['keep'])
    expect(await redis.hvals('session')).toEqual(['me'])
    expect(await redis.hexists('session', 'user')).toBe(0)
    expect(await redis.hmget('session', 'token', 'keep')).toEqual({ token: null, keep: 'me' })
    expect(await redis.hpexpire('session', 'keep', 1)).toEqual([1])
    await waitFor(async () => (await redis.hlen('session')) === 0, 'the last field to expire')
    expect(await redis.exists('session')).toBe(0)
  })

  it('a deleted and recreated hash forgets its old field deadlines', async () => {
    await redis.hset('reborn', { f: 1 })
    await redis.hexpire('reborn', 'f', 100)
    await redis.del('reborn')
    await redis.hset('reborn', { f: 2 })
    expect(await redis.httl('reborn', 'f')).toEqual([-1])
  })

  it('HGETEX, HSETEX and HGETDEL', async () => {
    expect(await redis.hsetex('hx', { expiration: { ex: 100 } }, { a: 'x', b: 'y' })).toBe(1)
    expect(await redis.httl('hx', ['a', 'b'])).toEqual([100, 100])
    expect(await redis.hsetex('hx', { conditional: 'FNX' }, { a: 'z' })).toBe(0)
    expect(await redis.hsetex('hx', { conditional: 'FXX', expiration: { keepttl: true } }, { a: 'z' })).toBe(1)
    expect(await redis.httl('hx', 'a')).toEqual([100])
    expect(await redis.hsetex('hx', {}, { b: 'w' })).toBe(1)
    expect(await redis.httl('hx', 'b')).toEqual([-1])
    expect(await redis.hgetex('hx', { px: 50_000 }, 'a', 'b', 'c')).toEqual({ a: 'z', b: 'w', c: null })
    expect(await redis.httl('hx', ['a', 'b'])).toEqual([50, 50])
    expect(await redis.hgetex('hx', { persist: true }, 'a')).toEqual({ a: 'z' })
    expect(await redis.httl('hx', ['a', 'b'])).toEqual([-1, 50])
    expect(await redis.hgetdel('hx', 'a', 'nope')).toEqual({ a: 'z', nope: null })
    expect(await redis.hgetall('hx')).toEqual({ b: 'w' })
    expect(await redis.hgetdel('hx', 'b')).toEqual({ b: 'w' })
    expect(await redis.exists('hx')).toBe(0)
  })

  it('works inside a transaction and refuses malformed arguments like Redis', async () => {
    const tx = redis.multi()
    tx.hset('tx', { a: 1 })
    tx.hexpire('tx', 'a', 30)
    tx.httl('tx', 'a')
    expect(await tx.exec()).toEqual([1, [1], [30]])
    await redis.set('plain', 'v')
    await expect(redis.hexpire('plain', 'a', 10)).rejects.toThrow('WRONGTYPE')
    await expect(redis.exec(['HEXPIRE', 'tx', 'soon', 'FIELDS', 1, 'a'])).rejects.toThrow('not an integer')
    await expect(redis.exec(['HTTL', 'tx', 'FIELDS', 2, 'a'])).rejects.toThrow('numfields')
    await expect(redis.exec(['HPERSIST', 'tx', 'a'])).rejects.toThrow('FIELDS')
  })
})

describe('Redis 8 stream and bit commands', () => {
  let redis: Redis
  beforeAll(async () => {
    redis = client('redis8')
    await redis.flushdb()
  })

  it('XDELEX KEEPREF/DELREF/ACKED and XACKDEL', async () => {
    const ids: string[] = []
    for (let i = 0; i < 4; i++) ids.push(await redis.xadd('s', '*', { n: i }))
    await redis.xgroup('s', { type: 'CREATE', group: 'g', id: '0' })
    await redis.xreadgroup('g', 'c', 's', '>', { count: 3 })
    // ids[0..2] pending in g, ids[3] not yet delivered to g.
    expect(await redis.xdelex('s', 'ACKED', ids[0]!, ids[3]!, '1-1')).toEqual([2, 2, -1])
    expect(await redis.xdelex('s', undefined, ids[0]!)).toEqual([1])
    expect(await redis.xpending('s', 'g', '-', '+', 10)).toHaveLength(3) // KEEPREF keeps the reference
    expect(await redis.xdelex('s', 'DELREF', ids[1]!)).toEqual([1])
    expect(await redis.xpending('s', 'g', '-', '+', 10)).toHaveLength(2)
    expect(await redis.xackdel('s', 'g', 'ACKED', ids[2]!)).toEqual([1])
    expect(await redis.xlen('s')).toBe(1)
    await expect(redis.xackdel('s', 'nogroup', 'KEEPREF', ids[3]!)).rejects.toThrow('NOGROUP')
  })

  it('BITOP DIFF, DIFF1, ANDOR and ONE (shorter sources zero-padded)', async () => {
    const bytes = async (key: string) => (await redis.bitfield(key).get('u8', 0).get('u8', 8).exec()) as number[]
    await redis.bitfield('x').set('u8', 0, 0xf0).exec()
    await redis.bitfield('y').set('u8', 0, 0xcc).set('u8', 8, 0x0f).exec()
    await redis.bitfield('z').set('u8', 0, 0xaa).exec()
    const [x, y, z] = [
      [0xf0, 0],
      [0xcc, 0x0f],
      [0xaa, 0],
    ]
    const expected = (f: (a: number, b: number, c: number) => number) =>
      [0, 1].map((i) => f(x[i]!, y[i]!, z[i]!) & 0xff)
    expect(await redis.bitop('diff', 'd', 'x', 'y', 'z')).toBe(2)
    expect(await bytes('d')).toEqual(expected((a, b, c) => a & ~(b | c)))
    await redis.bitop('diff1', 'd', 'x', 'y', 'z')
    expect(await bytes('d')).toEqual(expected((a, b, c) => ~a & (b | c)))
    await redis.bitop('andor', 'd', 'x', 'y', 'z')
    expect(await bytes('d')).toEqual(expected((a, b, c) => a & (b | c)))
    await redis.bitop('one', 'd', 'x', 'y', 'z')
    expect(await bytes('d')).toEqual(expected((a, b, c) => (a ^ b ^ c) & ~(a & b & c)))
    expect(await redis.bitop('diff', 'd', 'none1', 'none2')).toBe(0)
    expect(await redis.exists('d')).toBe(0)
    await expect(redis.bitop('diff', 'd', 'x')).rejects.toThrow('at least two')
  })
})

describe('where Upstash differs from Redis', () => {
  let redis: Redis
  beforeAll(async () => {
    redis = client('upstash-differences')
    await redis.flushdb()
  })

  it('COPY k k is 0, not an error', async () => {
    await redis.set('k', 'v')
    expect(await redis.copy('k', 'k')).toBe('NOT_COPIED')
    expect(await redis.copy('k', 'k2')).toBe('COPIED')
  })

  it('SCAN WITHTYPE lists keys with their types', async () => {
    await redis.hset('a-hash', { f: 1 })
    await redis.lpush('a-list', 'x')
    const [cursor, keys] = await redis.scan(0, { match: 'a-*', withType: true, count: 1000 })
    expect(cursor).toBe('0')
    expect(keys.sort((p, q) => p.key.localeCompare(q.key))).toEqual([
      { key: 'a-hash', type: 'hash' },
      { key: 'a-list', type: 'list' },
    ])
  })

  it('XTRIM MAXLEN ~ n trims near-exactly', async () => {
    const pipeline = redis.pipeline()
    for (let i = 0; i < 2_050; i++) pipeline.xadd('long', '*', { i })
    await pipeline.exec()
    await redis.xtrim('long', { strategy: 'MAXLEN', threshold: 300, exactness: '~' })
    const length = await redis.xlen('long')
    expect(length).toBeGreaterThanOrEqual(290)
    expect(length).toBeLessThanOrEqual(310)
  })

  it('XREADGROUP NOACK registers neither a pending entry nor a consumer', async () => {
    await redis.xadd('events', '*', { n: 1 })
    await redis.xgroup('events', { type: 'CREATE', group: 'g', id: '0' })
    const read = await redis.xreadgroup('g', 'c', 'events', '>', { NOACK: true })
    expect(read).toHaveLength(1)
    expect(await redis.xinfo('events', { type: 'CONSUMERS', group: 'g' })).toEqual([])
    await redis.xadd('events', '*', { n: 2 })
    await redis.xreadgroup('g', 'c', 'events', '>')
    expect(await redis.xpending('events', 'g', '-', '+', 10)).toHaveLength(1)
  })
})
