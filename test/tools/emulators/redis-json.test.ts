/**
 * `JSON.*` and SSE subscribe on the Upstash Redis emulator, through `@upstash/redis`: the backend is Redis 7
 * without RedisJSON, so both are emulated (docs/emulators/redis.md) and must answer RedisJSON's / Upstash's shapes.
 */
import { errors, Redis } from '@upstash/redis'
import { Redis as IORedis } from 'ioredis'
import { beforeAll, describe, expect, it } from 'vitest'
import { useRedisEmulator } from './redis-emulator'

const TOKEN = 'redis-json-token'
const emulator = useRedisEmulator(TOKEN)

function client(namespace: string, base64 = true): Redis {
  return new Redis({
    url: emulator().namespaceUrl(namespace),
    token: TOKEN,
    responseEncoding: base64 ? 'base64' : false,
    enableTelemetry: false,
    retry: false,
  })
}

async function waitFor(check: () => boolean | Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 5_000
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

describe.each([{ base64: true }, { base64: false }])('JSON documents (base64 $base64)', ({ base64 }) => {
  let redis: Redis
  beforeAll(async () => {
    redis = client(base64 ? 'json-b64' : 'json-plain', base64)
    await redis.flushdb()
  })

  it('round trip: set, get with paths, arrappend, del', async () => {
    const user = { name: 'Ada', tags: ['admin'], address: { city: 'London' }, visits: 1 }
    expect(await redis.json.set('user:1', '$', user)).toBe('OK')
    expect(await redis.json.get('user:1')).toEqual(user)
    expect(await redis.json.get('user:1', '$.name')).toEqual(['Ada'])
    expect(await redis.json.get('user:1', '.address.city')).toBe('London')
    expect(await redis.json.get('user:1', '$.name', '$.visits')).toEqual({ '$.name': ['Ada'], '$.visits': [1] })
    expect(await redis.json.get('user:1', '$.missing')).toEqual([])
    // Values are JSON text: a bare word is not JSON, a quoted one is (as in RedisJSON).
    await expect(redis.json.arrappend('user:1', '$.tags', 'editor')).rejects.toThrow('is not JSON')
    expect(await redis.json.arrappend('user:1', '$.tags', '"editor"', { team: 'ops' })).toEqual([3])
    expect(await redis.json.get('user:1', '$.tags[*]')).toEqual(['admin', 'editor', { team: 'ops' }])
    expect(await redis.json.get('user:1', '$.tags[-1].team')).toEqual(['ops'])
    expect(await redis.json.arrappend('user:1', '$.name', '"x"')).toEqual([null])
    expect(await redis.json.set('user:1', '$.address.zip', '"N1"')).toBe('OK')
    expect(await redis.json.get('user:1', '$..city')).toEqual(['London'])
    expect(await redis.json.del('user:1', '$.tags[0]')).toBe(1)
    expect(await redis.json.get('user:1', '$.tags')).toEqual([['editor', { team: 'ops' }]])
    expect(await redis.json.del('user:1', '$.address')).toBe(1)
    expect(await redis.json.forget('user:1', '$.nothing')).toBe(0)
    expect(await redis.json.get('user:1')).toEqual({ name: 'Ada', tags: ['editor', { team: 'ops' }], visits: 1 })
    expect(await redis.json.del('user:1')).toBe(1)
    expect(await redis.json.get('user:1')).toBeNull()
    expect(await redis.exists('user:1')).toBe(0)
  })

  it('set NX/XX, type, numincrby, strlen, arrlen, objkeys, mget', async () => {
    expect(await redis.json.set('doc', '$', { n: 1, s: 'abc', a: [1, 2], o: { x: 1, y: 2 } }, { nx: true })).toBe('OK')
    expect(await redis.json.set('doc', '$', { other: true }, { nx: true })).toBeNull()
    expect(await redis.json.set('missing', '$', 1, { xx: true })).toBeNull()
    expect(await redis.json.set('doc', '$.n', 5, { xx: true })).toBe('OK')
    expect(await redis.json.set('doc', '$.new', 5, { xx: true })).toBeNull()
    // Without a path RedisJSON takes the legacy root `.`: one type, not a list.
    expect(await redis.json.type('doc')).toBe('object')
    expect(await redis.json.type('doc', '$.n')).toEqual(['integer'])
    expect(await redis.json.type('doc', '$.s')).toEqual(['string'])
    expect(await redis.json.numincrby('doc', '$.n', 2.5)).toEqual([7.5])
    expect(await redis.json.numincrby('doc', '$.s', 1)).toEqual([null])
    expect(await redis.json.strlen('doc', '$.s')).toEqual([3])
    expect(await redis.json.arrlen('doc', '$.a')).toEqual([2])
    expect(await redis.json.arrlen('doc', '$.n')).toEqual([null])
    expect(await redis.json.objkeys('doc', '$.o')).toEqual([['x', 'y']])
    expect(await redis.json.objlen('doc', '$.o')).toEqual([2])
    expect(await redis.json.toggle('doc', '$.o.x')).toEqual([null])
    await redis.json.set('doc2', '$', { n: 9 })
    expect(await redis.json.mget(['doc', 'doc2', 'nope'], '$.n')).toEqual([[7.5], [9], null])
    expect(await redis.json.arrpop('doc', '$.a')).toEqual([2])
    expect(await redis.json.get('doc', '$.a')).toEqual([[1]])
  })

  it('legacy paths answer the first match and fail when there is none', async () => {
    await redis.json.set('legacy', '.', { a: { b: [1, 2, 3] } })
    expect(await redis.json.get('legacy', '.a.b[1]')).toBe(2)
    expect(await redis.json.arrlen('legacy', '.a.b')).toBe(3)
    expect(await redis.json.type('legacy', '.a')).toBe('object')
    await expect(redis.json.get('legacy', '.a.zzz')).rejects.toThrow("Path '.a.zzz' does not exist")
  })

  it('errors: wrong type, new documents only at the root, unsupported subcommands and filters', async () => {
    await redis.set('plain', 'not json')
    await expect(redis.json.get('plain')).rejects.toThrow('WRONGTYPE')
    await redis.hset('hash', { f: 1 })
    await expect(redis.json.get('hash')).rejects.toThrow('WRONGTYPE')
    await expect(redis.json.set('fresh', '$.a', 1)).rejects.toThrow('ERR new objects must be created at the root')
    await expect(redis.json.arrappend('nokey', '$', 1)).rejects.toThrow("key that doesn't exist")
    await expect(redis.json.merge('doc', '$', { a: 1 })).rejects.toThrow(errors.UpstashError)
    await expect(redis.json.merge('doc', '$', { a: 1 })).rejects.toThrow('not available in the Stratum Redis emulator')
    await redis.json.set('f', '$', [{ a: 1 }])
    await expect(redis.json.get('f', '$[?(@.a==1)]')).rejects.toThrow('filter expressions are not supported')
  })

  it('in a pipeline, JSON commands keep their place between other commands; multi-exec refuses them', async () => {
    const pipeline = redis.pipeline()
    pipeline.set('counter', 1)
    pipeline.json.set('p', '$', { list: [] })
    pipeline.json.arrappend('p', '$.list', 1, 2)
    pipeline.incr('counter')
    pipeline.json.get('p', '$.list')
    pipeline.json.get('nothing-here', '$')
    expect(await pipeline.exec()).toEqual(['OK', 'OK', [2], 2, [[1, 2]], null])
    const multi = redis.multi()
    multi.json.get('p', '$')
    await expect(multi.exec()).rejects.toThrow('inside /multi-exec is not supported')
  })

  it('concurrent writers to one document never lose an update', async () => {
    await redis.json.set('hits', '$', { n: 0 })
    const writers = Array.from({ length: 8 }, () => client(base64 ? 'json-b64' : 'json-plain', base64))
    await Promise.all(
      writers.flatMap((writer) => Array.from({ length: 5 }, () => writer.json.numincrby('hits', '$.n', 1))),
    )
    expect(await redis.json.get('hits', '$.n')).toEqual([40])
  })
})

describe('subscribe over SSE', () => {
  it('redis.subscribe receives PUBLISHed messages; unsubscribe closes the stream', async () => {
    const redis = client('pubsub')
    const direct = new IORedis(emulator().redisUrl)
    try {
      const numsub = async (channel: string) => Number(((await direct.pubsub('NUMSUB', channel)) as unknown[])[1])
      const subscriber = redis.subscribe(['news'])
      const received: unknown[] = []
      const confirmations: number[] = []
      subscriber.on('subscribe', (count) => confirmations.push(count))
      subscriber.on('message', ({ channel, message }) => received.push({ channel, message }))
      await waitFor(() => confirmations.length > 0, 'the subscribe confirmation')
      expect(confirmations).toEqual([1])
      expect(await redis.publish('news', { headline: 'hello' })).toBe(1)
      expect(await redis.publish('news', 'second, with a comma')).toBe(1)
      await waitFor(() => received.length === 2, 'two messages')
      expect(received).toEqual([
        { channel: 'news', message: { headline: 'hello' } },
        { channel: 'news', message: 'second, with a comma' },
      ])
      await subscriber.unsubscribe()
      await waitFor(async () => (await numsub('news')) === 0, 'the Redis subscription to close')
      expect(await redis.publish('news', 'nobody')).toBe(0)
    } finally {
      direct.disconnect()
    }
  })

  it('redis.psubscribe receives pattern messages', async () => {
    const redis = client('pubsub')
    const subscriber = redis.psubscribe(['orders.*'])
    const received: unknown[] = []
    subscriber.on('pmessage', (event) => received.push(event))
    let subscribed = false
    subscriber.on('psubscribe', () => {
      subscribed = true
    })
    await waitFor(() => subscribed, 'the psubscribe confirmation')
    await redis.publish('orders.created', { id: 7 })
    await waitFor(() => received.length === 1, 'a pattern message')
    expect(received).toEqual([{ pattern: 'orders.*', channel: 'orders.created', message: { id: 7 } }])
    await subscriber.unsubscribe()
  })

  it('SUBSCRIBE as a REST command is still refused with Upstash error shape', async () => {
    await expect(client('pubsub').exec(['SUBSCRIBE', 'x'])).rejects.toThrow('/subscribe/')
  })
})
