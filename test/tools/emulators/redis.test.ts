/**
 * The Upstash Redis emulator, judged by the official client: every test talks through `@upstash/redis`,
 * with the default base64 response encoding and with `responseEncoding: false`.
 */
import { createHash } from 'node:crypto'
import { errors, Redis } from '@upstash/redis'
import { beforeAll, describe, expect, it } from 'vitest'
import { useRedisEmulator } from './redis-emulator'

const TOKEN = 'redis-test-token'
const emulator = useRedisEmulator(TOKEN)

interface ClientOptions {
  base64?: boolean
  autoPipelining?: boolean
  token?: string
}

function client(namespace: string, options: ClientOptions = {}): Redis {
  return new Redis({
    url: emulator().namespaceUrl(namespace),
    token: options.token ?? TOKEN,
    responseEncoding: options.base64 === false ? false : 'base64',
    enableAutoPipelining: options.autoPipelining ?? true,
    enableTelemetry: false,
    retry: false,
  })
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

describe.each([
  { encoding: 'base64', base64: true },
  { encoding: 'plain JSON', base64: false },
])('@upstash/redis with $encoding responses', ({ base64 }) => {
  let redis: Redis
  beforeAll(async () => {
    redis = client(base64 ? 'types-base64' : 'types-plain', { base64 })
    await redis.flushdb()
  })

  it('strings: set with ex/px/nx, get, incr, mget', async () => {
    expect(await redis.set('greeting', 'hello')).toBe('OK')
    expect(await redis.get('greeting')).toBe('hello')
    expect(await redis.set('greeting', 'again', { nx: true })).toBeNull()
    expect(await redis.set('fresh', 'x', { nx: true })).toBe('OK')
    await redis.set('short', 'v', { ex: 100 })
    expect(await redis.ttl('short')).toBeGreaterThan(98)
    await redis.set('shorter', 'v', { px: 50_000 })
    const pttl = await redis.pttl('shorter')
    expect(pttl).toBeGreaterThan(49_000)
    expect(pttl).toBeLessThanOrEqual(50_000)
    expect(await redis.incr('counter')).toBe(1)
    expect(await redis.incrby('counter', 41)).toBe(42)
    expect(await redis.mget('greeting', 'missing', 'counter')).toEqual(['hello', null, 42])
    // Strings that look like base64 must survive the decoding step unchanged.
    await redis.set('looks-encoded', 'T0s=')
    expect(await redis.get('looks-encoded')).toBe('T0s=')
    await redis.set('ok-text', 'OK')
    expect(await redis.get('ok-text')).toBe('OK')
  })

  it('hashes: hset, hgetall (flat array from Redis → object in the client), hincrby', async () => {
    expect(await redis.hset('user:1', { name: 'Ada', visits: 1, admin: true })).toBe(3)
    expect(await redis.hgetall('user:1')).toEqual({ name: 'Ada', visits: 1, admin: true })
    expect(await redis.hincrby('user:1', 'visits', 5)).toBe(6)
    expect(await redis.hget('user:1', 'name')).toBe('Ada')
    expect(await redis.hgetall('user:none')).toBeNull()
    // The raw reply is Redis's flat array, not an object (the client JSON-parses "6" and "true").
    expect(await redis.exec(['HGETALL', 'user:1'])).toEqual(['name', 'Ada', 'visits', 6, 'admin', true])
  })

  it('lists', async () => {
    expect(await redis.rpush('queue', 'a', 'b', 'c')).toBe(3)
    expect(await redis.lpush('queue', 'z')).toBe(4)
    expect(await redis.lrange('queue', 0, -1)).toEqual(['z', 'a', 'b', 'c'])
    expect(await redis.lpop('queue')).toBe('z')
    expect(await redis.rpop('queue')).toBe('c')
    expect(await redis.llen('queue')).toBe(2)
  })

  it('sets', async () => {
    expect(await redis.sadd('tags', 'red', 'green', 'blue')).toBe(3)
    expect(await redis.sismember('tags', 'green')).toBe(1)
    expect((await redis.smembers('tags')).sort()).toEqual(['blue', 'green', 'red'])
    expect(await redis.scard('tags')).toBe(3)
  })

  it('sorted sets: zadd, zrange withScores, by score', async () => {
    expect(
      await redis.zadd(
        'board',
        { score: 10, member: 'ann' },
        { score: 30, member: 'bob' },
        { score: 20, member: 'cy' },
      ),
    ).toBe(3)
    expect(await redis.zrange('board', 0, -1)).toEqual(['ann', 'cy', 'bob'])
    expect(await redis.zrange('board', 0, -1, { withScores: true })).toEqual(['ann', 10, 'cy', 20, 'bob', 30])
    expect(await redis.zrange('board', 15, 40, { byScore: true })).toEqual(['cy', 'bob'])
    expect(await redis.exec(['ZRANGEBYSCORE', 'board', '-inf', '15', 'WITHSCORES'])).toEqual(['ann', 10])
    expect(await redis.zscore('board', 'bob')).toBe(30)
    expect(await redis.zincrby('board', 1.5, 'ann')).toBe(11.5)
  })

  it('expire, ttl, pexpire, persist', async () => {
    await redis.set('temp', '1')
    expect(await redis.ttl('temp')).toBe(-1)
    expect(await redis.expire('temp', 60)).toBe(1)
    expect(await redis.ttl('temp')).toBeGreaterThan(58)
    expect(await redis.pexpire('temp', 100)).toBe(1)
    await sleep(150)
    expect(await redis.get('temp')).toBeNull()
    expect(await redis.ttl('temp')).toBe(-2)
  })

  it('JSON objects round-trip', async () => {
    const session = { id: 'abc', roles: ['admin', 'dev'], nested: { n: 1.5, ok: true, nothing: null } }
    await redis.set('session', session)
    expect(await redis.get<typeof session>('session')).toEqual(session)
  })

  it('unicode (emoji, Chinese) in keys, values and hash fields', async () => {
    const text = '你好，世界 👋🏽 naïve – ünïcödé'
    await redis.set('键🔑', text)
    expect(await redis.get('键🔑')).toBe(text)
    await redis.hset('多字节', { 字段: '值 ✅', emoji: '🚀' })
    expect(await redis.hgetall('多字节')).toEqual({ 字段: '值 ✅', emoji: '🚀' })
    expect(await redis.strlen('键🔑')).toBe(Buffer.byteLength(text))
  })

  it('pipeline(): in order, one request, results per command', async () => {
    const pipeline = redis.pipeline()
    pipeline.set('p:1', 'one')
    pipeline.incr('p:n')
    pipeline.incr('p:n')
    pipeline.get('p:1')
    pipeline.hset('p:h', { a: 1 })
    pipeline.hgetall('p:h')
    expect(await pipeline.exec()).toEqual(['OK', 1, 2, 'one', 1, { a: 1 }])
  })

  it('pipeline(): a failing command is reported per item with keepErrors', async () => {
    await redis.set('p:text', 'abc')
    const results = await redis.pipeline().incr('p:text').get('p:text').exec({ keepErrors: true })
    expect(results[0]?.error).toMatch(/not an integer/)
    expect(results[1]).toEqual({ error: undefined, result: 'abc' })
  })

  it('multi(): atomic transaction', async () => {
    const tx = redis.multi()
    tx.set('tx:a', '1')
    tx.incr('tx:a')
    tx.get('tx:a')
    expect(await tx.exec()).toEqual(['OK', 2, 2])
    // Runtime errors do not undo the other commands, as in Redis.
    const mixed = await redis.multi().set('tx:b', 'text').incr('tx:b').set('tx:c', 'ok').exec({ keepErrors: true })
    expect(mixed[1]?.error).toMatch(/not an integer/)
    expect(await redis.get('tx:c')).toBe('ok')
  })

  it('wrong type → UpstashError (auto-pipelined and not)', async () => {
    await redis.hset('typed', { a: 1 })
    await expect(redis.incr('typed')).rejects.toThrow(errors.UpstashError)
    await expect(redis.incr('typed')).rejects.toThrow(/WRONGTYPE/)
    const direct = client(base64 ? 'types-base64' : 'types-plain', { base64, autoPipelining: false })
    await expect(direct.lpush('typed', 'x')).rejects.toThrow(/WRONGTYPE/)
    await expect(direct.exec(['NOSUCHCOMMAND', 'x'])).rejects.toThrow(/unknown command/)
  })

  it('scan with match and count visits every key once', async () => {
    const keys = Array.from({ length: 40 }, (_, i) => `scan:${i}`)
    await Promise.all(keys.map((key) => redis.set(key, '1')))
    const seen = new Set<string>()
    let cursor: string | number = '0'
    do {
      const [next, batch]: [string | number, string[]] = await redis.scan(cursor, { match: 'scan:*', count: 7 })
      for (const key of batch) seen.add(key)
      cursor = next
    } while (String(cursor) !== '0')
    expect([...seen].sort()).toEqual([...keys].sort())
  })
})

describe('Lua scripts', () => {
  const redis = () => client('lua')

  it('eval, scriptLoad + evalsha with the client-side SHA1', async () => {
    const script = "redis.call('SET', KEYS[1], ARGV[1]); return {redis.call('GET', KEYS[1]), 7}"
    expect(await redis().eval(script, ['lua:k'], ['v1'])).toEqual(['v1', 7])
    const sha = await redis().scriptLoad(script)
    expect(sha).toBe(createHash('sha1').update(script).digest('hex'))
    expect(await redis().evalsha(sha, ['lua:k'], ['v2'])).toEqual(['v2', 7])
    expect(await redis().scriptExists(sha, 'f'.repeat(40))).toEqual([1, 0])
  })

  it('evalsha of an unknown script → NOSCRIPT', async () => {
    await expect(redis().evalsha('0'.repeat(40), [], [])).rejects.toThrow(/NOSCRIPT/)
  })

  it('Upstash-only shebang flags are stripped; the precomputed SHA still works', async () => {
    const script = '#!lua flags=allow-key-locking\nreturn ARGV[1]'
    const sha = createHash('sha1').update(script).digest('hex')
    await expect(redis().evalsha(sha, [], ['x'])).rejects.toThrow(/NOSCRIPT/)
    expect(await redis().eval(script, [], ['first'])).toBe('first')
    expect(await redis().evalsha(sha, [], ['second'])).toBe('second')
    // Flags Redis knows are kept.
    expect(await redis().eval('#!lua flags=no-writes,allow-key-locking\nreturn 1', [], [])).toBe(1)
  })

  it('createScript() falls back from EVALSHA to EVAL transparently', async () => {
    const script = redis().createScript<number>('return tonumber(ARGV[1]) * 2')
    expect(await script.exec([], ['21'])).toBe(42)
    expect(await script.exec([], ['5'])).toBe(10)
  })

  it('script errors are UpstashErrors', async () => {
    await expect(redis().eval('return redis.call("INCR", KEYS[1])', ['lua:k'], [])).rejects.toThrow(/not an integer/)
    await expect(redis().eval('this is not lua', [], [])).rejects.toThrow(/compiling|syntax|Error/)
  })
})

describe('namespaces', () => {
  it('keep keys, FLUSHDB, KEYS, DBSIZE and scripts apart', async () => {
    const a = client('iso-a')
    const b = client('iso-b')
    await Promise.all([a.flushdb(), b.flushdb()])
    await a.set('shared-name', 'from a')
    await b.set('shared-name', 'from b')
    await b.set('only-b', '1')
    expect(await a.get('shared-name')).toBe('from a')
    expect(await b.get('shared-name')).toBe('from b')
    expect(await a.keys('*')).toEqual(['shared-name'])
    expect(await a.dbsize()).toBe(1)

    const sha = await a.scriptLoad('return 1')
    expect(await a.scriptExists(sha)).toEqual([1])
    expect(await b.scriptExists(sha)).toEqual([0])
    await expect(b.evalsha(sha, [], [])).rejects.toThrow(/NOSCRIPT/)

    await a.flushall() // an Upstash database's FLUSHALL: only this namespace
    expect(await a.dbsize()).toBe(0)
    expect(await b.get('only-b')).toBe(1)
  })

  it('the default namespace is the root URL', async () => {
    const root = new Redis({ url: emulator().url, token: TOKEN, enableTelemetry: false })
    const viaName = client('default')
    await root.set('root-key', 'r')
    expect(await viaName.get('root-key')).toBe('r')
    expect(await client('iso-a').get('root-key')).toBeNull()
  })
})

describe('auth', () => {
  it('rejects a wrong token with 401 → UpstashError', async () => {
    const intruder = client('auth', { token: 'wrong-token' })
    await expect(intruder.get('x')).rejects.toThrow(errors.UpstashError)
    await expect(intruder.set('x', '1')).rejects.toThrow(/Unauthorized/)
  })
})
