import { describe, expect, it } from 'vitest'
import { urlVersion } from '../../src/core/versioning'
import { call, callJson } from '../helpers/app'

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

describe('API versioning', () => {
  it('routes the URL form and the header alias to the same handler', async () => {
    const byUrl = await callJson('/api/v2/health/ping')
    const byHeader = await callJson('/api/health/ping', { headers: { 'X-API-Version': 'v2' } })
    const byAcceptVersion = await callJson('/api/health/ping', { headers: { 'Accept-Version': '2' } })
    for (const { res, body } of [byUrl, byHeader, byAcceptVersion]) {
      expect(res.status).toBe(200)
      expect((body.data as { api_version: string }).api_version).toBe('v2')
      expect(res.headers.get('X-API-Version')).toBe('v2')
    }
  })

  it('uses the configured default version without a header', async () => {
    const { res, body } = await callJson('/api/health/ping')
    expect((body.data as { api_version: string }).api_version).toBe('v1')
    expect(res.headers.get('X-API-Version')).toBe('v1')
    const v2default = await callJson('/api/health/ping', {}, { API_DEFAULT_VERSION: 'v2' })
    expect((v2default.body.data as { api_version: string }).api_version).toBe('v2')
  })

  it('the URL wins over a header', async () => {
    const { body } = await callJson('/api/v1/health/ping', { headers: { 'X-API-Version': 'v2' } })
    expect((body.data as { api_version: string }).api_version).toBe('v1')
  })

  it.each([
    ['/api/health/ping', { 'X-API-Version': 'v9' }, 'v9'],
    ['/api/health/ping', { 'X-API-Version': 'banana' }, 'banana'],
    ['/api/v7/health/ping', {}, 'v7'],
  ])('answers 400 listing supported versions for %s %j', async (path, headers, shown) => {
    const { res, body } = await callJson(path, { headers })
    expect(res.status).toBe(400)
    expect(body.msg).toBe(`API version ${shown} is not supported; supported versions: v1, v2`)
    expect(body.data).toEqual({ supported_versions: ['v1', 'v2'] })
  })

  it('a header cannot smuggle a path', async () => {
    const { res } = await callJson('/api/health/ping', { headers: { 'X-API-Version': 'v1/../../docs' } })
    expect(res.status).toBe(400)
  })

  it('carries X-API-Version on every response, errors and pages included', async () => {
    expect((await call('/api/v2/nope')).headers.get('X-API-Version')).toBe('v2')
    expect((await call('/')).headers.get('X-API-Version')).toBe('v1')
  })

  it('marks deprecated versions with Deprecation and Sunset', async () => {
    const deprecations = JSON.stringify({ v1: { deprecated: '2026-10-01', sunset: '2027-06-30' } })
    const v1 = await call('/api/v1/health/ping', {}, { API_DEPRECATIONS: deprecations })
    expect(v1.headers.get('Deprecation')).toBe(`@${Date.UTC(2026, 9, 1) / 1000}`)
    expect(v1.headers.get('Sunset')).toBe('Wed, 30 Jun 2027 00:00:00 GMT')
    const v2 = await call('/api/v2/health/ping', {}, { API_DEPRECATIONS: deprecations })
    expect(v2.headers.get('Deprecation')).toBeNull()
    expect(v2.headers.get('Sunset')).toBeNull()
  })
})
