/**
 * The Node transport for @upstash/redis (src/infra/node/upstash-http.ts), judged against the Redis emulator through
 * the official client: the same answers as the SDK's own fetch client — values, pipelines, errors, read-your-writes.
 */
import { Redis as FetchRedis } from '@upstash/redis'
import { afterAll, describe, expect, inject, it } from 'vitest'
import { loadConfig } from '../../../src/core/config'
import { NodeUpstashRequester, nodeRedis, nodeServices } from '../../../src/infra/node/upstash-http'
import { createServices } from '../../../src/infra/services'

const bindings = inject('workerBindings') as Record<string, string>
const url = `${bindings.TEST_REDIS_URL}/ns/node_transport_${Date.now()}`
const token = bindings.UPSTASH_REDIS_REST_TOKEN as string
const config = loadConfig({ ENVIRONMENT: 'test', UPSTASH_REDIS_REST_URL: url, UPSTASH_REDIS_REST_TOKEN: token })
const redis = nodeRedis(config)
const viaFetch = new FetchRedis({ url, token, responseEncoding: false, enableTelemetry: false })

afterAll(async () => {
  await viaFetch.flushdb()
})

describe('Upstash over undici (Node hosts)', () => {
  it('round-trips values the SDK way: JSON, unicode, numbers, null', async () => {
    if (!redis) throw new Error('not configured')
    const user = { id: 1, nickname: '管理员', roles: [{ id: 1, name: '测试' }], big: '9007199254740993' }
    await redis.set('user', user, { ex: 60 })
    expect(await redis.get('user')).toEqual(user)
    expect(await viaFetch.get('user')).toEqual(user) // what one client writes, the other reads
    expect(await redis.get('missing')).toBeNull()
    expect(await redis.incr('n')).toBe(1)
  })

  it('runs a pipeline in one request with per-command results', async () => {
    if (!redis) throw new Error('not configured')
    const results = await redis.pipeline().set('a', 'x').get('a').incr('c').pexpire('c', 60_000, 'NX').exec()
    expect(results).toEqual(['OK', 'x', 1, 1])
  })

  it('raises command errors like the SDK', async () => {
    if (!redis) throw new Error('not configured')
    await redis.set('text', 'not a number')
    await expect(redis.incr('text')).rejects.toThrow(/not an integer/)
    await expect(viaFetch.incr('text')).rejects.toThrow(/not an integer/)
  })

  it('rejects a wrong token with the server error, not a parse failure', async () => {
    const wrong = new FetchRedis(new NodeUpstashRequester(url, 'wrong-token'))
    await expect(wrong.get('a')).rejects.toThrow()
  })

  it('is what a Node host’s services use for Redis', () => {
    const services = createServices(config, nodeServices())
    expect(services.redis).toBeDefined()
    expect(createServices(loadConfig({ ENVIRONMENT: 'test' }), nodeServices()).redis).toBeUndefined()
  })
})
