import { describe, expect, it } from 'vitest'
import { pathBelowVersion, urlVersion } from '../../src/core/versioning'
import type { healthRoutes } from '../../src/domains/health/routes'
import type { Overrides } from '../helpers/app'
import { answer, api, failure, send } from '../helpers/harness'

/** `GET /health/ping` with the version in the URL. */
const ping = (version: string, headers?: Record<string, string>, overrides?: Overrides) =>
  api<typeof healthRoutes>(undefined, { version, headers, overrides }).health.ping.$get()
/** `GET /api/health/ping`: no version in the URL, which the typed client always puts there. */
const unversionedPing = (headers?: Record<string, string>, overrides?: Overrides) =>
  send('GET', '/api/health/ping', { headers, overrides })

describe('urlVersion', () => {
  it.each([
    ['/api/v1', 'v1'],
    ['/api/v1/', 'v1'],
    ['/api/v12/sys/users', 'v12'],
  ])('reads %s as %s', (path, version) => {
    expect(urlVersion(path)).toBe(version)
  })

  it.each([
    '/api',
    '/api/',
    '/api/v',
    '/api/v/x',
    '/api/v1x',
    '/api/v1.2/x',
    '/api/V1',
    '/apis/v1',
    '/docs',
    '/api/health',
  ])('finds no version in %s', (path) => {
    expect(urlVersion(path)).toBeUndefined()
  })
})

describe('pathBelowVersion', () => {
  it.each([
    ['/api/v1/health/ping', '/health/ping'],
    ['/api/v12/sys/files/upload', '/sys/files/upload'],
    // The version in a header: the same path below it.
    ['/api/health/ping', '/health/ping'],
    ['/api/sys/files/upload', '/sys/files/upload'],
    ['/api/v1', ''],
    // Not a version segment: routing folds a header version in front of it, so it is part of the path.
    ['/api/v1x/y', '/v1x/y'],
  ])('reads %s as %s', (path, below) => {
    expect(pathBelowVersion(path)).toBe(below)
  })

  it.each(['/api', '/apis/v1/x', '/docs', '/health/ping'])('finds nothing below a version in %s', (path) => {
    expect(pathBelowVersion(path)).toBeUndefined()
  })
})

describe('API versioning', () => {
  it('routes the URL form and the header alias to the same handler', async () => {
    const byUrl = await ping('v2')
    const byHeader = await unversionedPing({ 'X-API-Version': 'v2' })
    const byAcceptVersion = await unversionedPing({ 'Accept-Version': '2' })
    for (const res of [byUrl, byHeader, byAcceptVersion]) {
      const { status, data } = await answer(res)
      expect(status).toBe(200)
      expect(data).toMatchObject({ api_version: 'v2' })
      expect(res.headers.get('X-API-Version')).toBe('v2')
    }
  })

  it('uses the configured default version without a header', async () => {
    const res = await unversionedPing()
    expect((await answer(res)).data).toMatchObject({ api_version: 'v1' })
    expect(res.headers.get('X-API-Version')).toBe('v1')
    const v2default = await answer(unversionedPing({}, { API_DEFAULT_VERSION: 'v2' }))
    expect(v2default.data).toMatchObject({ api_version: 'v2' })
  })

  it('the URL wins over a header', async () => {
    const { data } = await answer(ping('v1', { 'X-API-Version': 'v2' }))
    expect(data.api_version).toBe('v1')
  })

  it.each([
    ['/api/health/ping', { 'X-API-Version': 'v9' }, 'v9'],
    ['/api/health/ping', { 'X-API-Version': 'banana' }, 'banana'],
    ['/api/v7/health/ping', {}, 'v7'],
  ])('answers 400 listing supported versions for %s %j', async (path, headers, shown) => {
    const { status, body } = await failure(send('GET', path, { headers }))
    expect(status).toBe(400)
    expect(body.msg).toBe(`API version ${shown} is not supported; supported versions: v1, v2`)
    expect(body.data).toEqual({ supported_versions: ['v1', 'v2'] })
  })

  it('a header cannot smuggle a path', async () => {
    const res = await unversionedPing({ 'X-API-Version': 'v1/../../docs' })
    expect(res.status).toBe(400)
  })

  it('carries X-API-Version on every response, errors and pages included', async () => {
    expect((await send('GET', '/api/v2/nope')).headers.get('X-API-Version')).toBe('v2')
    expect((await send('GET', '/')).headers.get('X-API-Version')).toBe('v1')
  })

  it('marks deprecated versions with Deprecation and Sunset', async () => {
    const deprecations = {
      API_DEPRECATIONS: JSON.stringify({ v1: { deprecated: '2026-10-01', sunset: '2027-06-30' } }),
    }
    const v1 = await ping('v1', {}, deprecations)
    expect(v1.headers.get('Deprecation')).toBe(`@${Date.UTC(2026, 9, 1) / 1000}`)
    expect(v1.headers.get('Sunset')).toBe('Wed, 30 Jun 2027 00:00:00 GMT')
    const v2 = await ping('v2', {}, deprecations)
    expect(v2.headers.get('Deprecation')).toBeNull()
    expect(v2.headers.get('Sunset')).toBeNull()
  })
})
