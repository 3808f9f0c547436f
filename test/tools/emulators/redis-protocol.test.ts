/**
 * The emulator's REST surface at the HTTP level: exact reply shapes, path-style commands, sync tokens,
 * the stats endpoint, and garbage that must become Upstash-style errors without taking the server down.
 */
import { describe, expect, it } from 'vitest'
import { useRedisEmulator } from './redis-emulator'

const TOKEN = 'protocol-test-token'
const emulator = useRedisEmulator(TOKEN)

interface Reply {
  status: number
  body: unknown
  headers: Headers
}

async function call(path: string, init: RequestInit & { base64?: boolean } = {}): Promise<Reply> {
  const headers = new Headers(init.headers)
  if (!headers.has('authorization')) headers.set('authorization', `Bearer ${TOKEN}`)
  if (init.base64) headers.set('upstash-encoding', 'base64')
  const res = await fetch(`${emulator().url}${path}`, { method: 'POST', ...init, headers })
  const text = await res.text()
  let body: unknown = text
  try {
    body = JSON.parse(text)
  } catch {
    // keep the text
  }
  return { status: res.status, body, headers: res.headers }
}

const command = (ns: string, body: unknown, base64 = false) => call(`/ns/${ns}`, { body: JSON.stringify(body), base64 })
const b64 = (text: string) => Buffer.from(text).toString('base64')

describe('reply shapes', () => {
  it('HGETALL, ZRANGE WITHSCORES, XRANGE and SCAN come back as Redis arrays', async () => {
    await command('shapes', ['HSET', 'h', 'f1', 'v1', 'f2', 2])
    expect((await command('shapes', ['HGETALL', 'h'])).body).toEqual({ result: ['f1', 'v1', 'f2', '2'] })
    await command('shapes', ['ZADD', 'z', 1, 'a', 2.5, 'b'])
    expect((await command('shapes', ['ZRANGE', 'z', 0, -1, 'WITHSCORES'])).body).toEqual({
      result: ['a', '1', 'b', '2.5'],
    })
    const id = ((await command('shapes', ['XADD', 's', '*', 'k', 'v'])).body as { result: string }).result
    expect((await command('shapes', ['XRANGE', 's', '-', '+'])).body).toEqual({ result: [[id, ['k', 'v']]] })
    const scan = (await command('shapes', ['SCAN', '0', 'MATCH', 'h', 'COUNT', 100])).body as { result: unknown[] }
    expect(scan.result).toEqual(['0', ['h']])
  })

  it('base64: every string encoded, recursively, except a top-level "OK"; numbers and null untouched', async () => {
    expect((await command('shapes', ['SET', 'k', '✓'], true)).body).toEqual({ result: 'OK' })
    expect((await command('shapes', ['GET', 'k'], true)).body).toEqual({ result: b64('✓') })
    expect((await command('shapes', ['GET', 'missing'], true)).body).toEqual({ result: null })
    expect((await command('shapes', ['HGETALL', 'h'], true)).body).toEqual({
      result: [b64('f1'), b64('v1'), b64('f2'), b64('2')],
    })
    // "OK" inside an array is data like any other string: the client base64-decodes everything there.
    expect((await command('shapes', ['EVAL', "return {'OK', 1}", 0], true)).body).toEqual({ result: [b64('OK'), 1] })
    const pipeline = await call('/ns/shapes/pipeline', {
      body: JSON.stringify([
        ['SET', 'k', 'v'],
        ['GET', 'k'],
      ]),
      base64: true,
    })
    expect(pipeline.body).toEqual([{ result: 'OK' }, { result: b64('v') }])
  })

  it('JSON numbers and booleans become Redis strings', async () => {
    await command('shapes', ['SET', 'n', 1.5])
    await command('shapes', ['SET', 'bool', true])
    expect((await command('shapes', ['MGET', 'n', 'bool'])).body).toEqual({ result: ['1.5', 'true'] })
    expect((await command('shapes', ['INCRBYFLOAT', 'n', -0.25])).body).toEqual({ result: '1.25' })
  })

  it('single command error → 400 {error}; pipeline → per-item {error}; multi-exec discard → 400', async () => {
    await command('errors', ['SET', 'text', 'abc'])
    const single = await command('errors', ['INCR', 'text'])
    expect(single.status).toBe(400)
    expect(single.body).toEqual({ error: 'ERR value is not an integer or out of range' })

    const pipeline = await call('/ns/errors/pipeline', {
      body: JSON.stringify([
        ['INCR', 'text'],
        ['GET', 'text'],
      ]),
    })
    expect(pipeline.status).toBe(200)
    expect(pipeline.body).toEqual([{ error: 'ERR value is not an integer or out of range' }, { result: 'abc' }])

    const discarded = await call('/ns/errors/multi-exec', { body: JSON.stringify([['SET', 'x', '1'], ['NOPE']]) })
    expect(discarded.status).toBe(400)
    expect((discarded.body as { error: string }).error).toMatch(/^EXECABORT/)
    expect((await command('errors', ['EXISTS', 'x'])).body).toEqual({ result: 0 })

    const runtime = await call('/ns/errors/multi-exec', {
      body: JSON.stringify([
        ['SET', 'x', '1'],
        ['INCR', 'text'],
      ]),
    })
    expect(runtime.status).toBe(200)
    expect(runtime.body).toEqual([{ result: 'OK' }, { error: 'ERR value is not an integer or out of range' }])
  })
})

describe('path-style commands', () => {
  it('GET /set/k/v, ?_token=, POST body as the last path argument, query args after it', async () => {
    const noHeader = { headers: { authorization: '' } }
    expect(
      (await call(`/ns/path/set/greeting/hello%20world?_token=${TOKEN}`, { method: 'GET', ...noHeader })).body,
    ).toEqual({
      result: 'OK',
    })
    expect((await call('/ns/path/get/greeting', { method: 'GET' })).body).toEqual({ result: 'hello world' })
    expect((await call('/ns/path/set/doc?EX=100', { body: '{"raw": "json body"}' })).body).toEqual({ result: 'OK' })
    expect((await call('/ns/path/get/doc', { method: 'GET' })).body).toEqual({ result: '{"raw": "json body"}' })
    expect((await call('/ns/path/ttl/doc', { method: 'GET' })).body).toEqual({ result: 100 })
    expect((await call('/ns/path/set/flag/v?NX', { method: 'GET' })).body).toEqual({ result: 'OK' })
    expect((await call('/ns/path/set/flag/w?NX', { method: 'GET' })).body).toEqual({ result: null })
  })
})

describe('auth and methods', () => {
  it('401 without or with a wrong token, 405 for other methods', async () => {
    expect((await call('/', { body: '["PING"]', headers: { authorization: '' } })).status).toBe(401)
    const wrong = await call('/', { body: '["PING"]', headers: { authorization: 'Bearer nope' } })
    expect(wrong.status).toBe(401)
    expect(wrong.body).toEqual({ error: 'Unauthorized' })
    expect((await call('/', { method: 'DELETE' })).status).toBe(405)
  })
})

describe('upstash-sync-token', () => {
  it('moves forward after writes, pipelines and scripts, not after reads', async () => {
    const token = async (body: unknown, path = '/ns/sync') =>
      (await call(path, { body: JSON.stringify(body) })).headers.get('upstash-sync-token')
    const afterWrite = await token(['SET', 'k', '1'])
    const afterRead = await token(['GET', 'k'])
    expect(afterRead).toBe(afterWrite)
    const afterPipeline = await token([['INCR', 'k']], '/ns/sync/pipeline')
    expect(afterPipeline).not.toBe(afterRead)
    const afterScript = await token(['EVAL', 'return 1', 0])
    expect(afterScript).not.toBe(afterPipeline)
  })
})

describe('stats endpoint', () => {
  it('counts requests and commands per namespace, resets, needs no token', async () => {
    const reset = await fetch(`${emulator().url}/_emulator/stats/reset`, { method: 'POST' })
    expect(reset.status).toBe(200)
    await command('stats-a', ['SET', 'k', '1'])
    await call('/ns/stats-a/pipeline', {
      body: JSON.stringify([
        ['GET', 'k'],
        ['GET', 'k'],
        ['INCR', 'k'],
      ]),
    })
    await call('/ns/stats-b/multi-exec', {
      body: JSON.stringify([
        ['GET', 'k'],
        ['GET', 'k'],
      ]),
    })
    const res = await fetch(`${emulator().url}/_emulator/stats`)
    const stats = (await res.json()) as { namespaces: Record<string, { requests: number; commands: number }> }
    expect(stats.namespaces['stats-a']).toEqual({ requests: 2, commands: 4 })
    expect(stats.namespaces['stats-b']).toEqual({ requests: 1, commands: 2 })
    expect(stats.namespaces.default).toBeDefined()
  })
})

describe('garbage and unsupported commands', () => {
  const garbage: [string, RequestInit][] = [
    ['non-JSON body', { body: 'SET k v' }],
    ['empty body', { body: '' }],
    ['JSON object', { body: '{"command":"GET"}' }],
    ['JSON string', { body: '"GET"' }],
    ['empty array', { body: '[]' }],
    ['nested object argument', { body: '["SET","k",{"a":1}]' }],
    ['nested array argument', { body: '["SET","k",["a"]]' }],
    ['null argument', { body: '["SET","k",null]' }],
    ['numeric command name', { body: '[42,"k"]' }],
    ['unknown command', { body: '["FROBNICATE","k"]' }],
    ['wrong arity', { body: '["GET"]' }],
    ['prototype-named command', { body: '["constructor"]' }],
  ]
  it.each(garbage)('%s → 400 {error}', async (_name, init) => {
    const reply = await call('/ns/garbage', init)
    expect(reply.status).toBe(400)
    expect(reply.body).toEqual({ error: expect.stringMatching(/^ERR /) })
  })

  it('malformed pipelines → 400', async () => {
    for (const body of ['{"a":1}', '[]', '["GET","k"]', '[["GET","k"],{}]', 'nope']) {
      const reply = await call('/ns/garbage/pipeline', { body })
      expect(reply.status, body).toBe(400)
      expect(reply.body, body).toEqual({ error: expect.stringMatching(/^ERR /) })
    }
  })

  it('blocking, pub/sub, connection and server commands are refused at once', async () => {
    const started = Date.now()
    for (const cmd of [
      ['BLPOP', 'list', 0],
      ['BRPOP', 'list', 0],
      ['BZPOPMIN', 'z', 0],
      ['XREAD', 'BLOCK', 0, 'STREAMS', 's', '$'],
      ['WAIT', 1, 0],
      ['SUBSCRIBE', 'ch'],
      ['PSUBSCRIBE', 'ch*'],
      ['MONITOR'],
      ['SELECT', 1],
      ['QUIT'],
      ['RESET'],
      ['CLIENT', 'KILL', 'TYPE', 'normal'],
      ['MULTI'],
      ['SWAPDB', 0, 1],
      ['MOVE', 'k', 2],
      ['CONFIG', 'SET', 'maxmemory', '1'],
      ['SHUTDOWN', 'NOSAVE'],
      ['DEBUG', 'SLEEP', 10],
    ]) {
      const reply = await command('garbage', cmd)
      expect(reply.status, String(cmd[0])).toBe(400)
      expect((reply.body as { error: string }).error, String(cmd[0])).toMatch(/not available/)
    }
    expect(Date.now() - started).toBeLessThan(5_000)
    // Non-blocking XREAD is fine.
    expect((await command('garbage', ['XREAD', 'COUNT', 1, 'STREAMS', 'none', '0'])).body).toEqual({ result: null })
  })

  it('bodies over the limit → 413; large values within it work', async () => {
    const big = 'x'.repeat(5 * 1024 * 1024)
    expect((await command('garbage', ['SET', 'big', big])).body).toEqual({ result: 'OK' })
    expect((await command('garbage', ['STRLEN', 'big'])).body).toEqual({ result: big.length })
    const huge = await command('garbage', ['SET', 'huge', 'y'.repeat(33 * 1024 * 1024)])
    expect(huge.status).toBe(413)
  })

  it('bad namespace names and encodings → 400; the server still answers afterwards', async () => {
    expect((await call('/ns/bad%20name', { body: '["PING"]' })).status).toBe(400)
    expect((await call('/ns/%E0%A4%A', { body: '["PING"]' })).status).toBe(400)
    expect((await call('/', { body: '["PING"]', headers: { 'upstash-response-format': 'resp2' } })).status).toBe(400)
    expect((await command('garbage', ['PING'])).body).toEqual({ result: 'PONG' })
    expect((await call('/', { method: 'GET' })).status).toBe(200)
  })
})
