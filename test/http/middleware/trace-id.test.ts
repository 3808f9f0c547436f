import { describe, expect, it } from 'vitest'
import type { healthRoutes } from '../../../src/domains/health/routes'
import { api, failure, send } from '../../helpers/harness'

const ping = (headers?: Record<string, string>) => api<typeof healthRoutes>(undefined, { headers }).health.ping.$get()

describe('trace id', () => {
  it('generates one when absent and echoes it', async () => {
    const res = await ping()
    expect(res.headers.get('X-Request-ID')).toMatch(/^[0-9a-f]{32}$/)
  })

  it('keeps a well-formed incoming X-Request-ID', async () => {
    const id = '4f8e2a1c-9b7d-4c3e-8f6a-1b2c3d4e5f60'
    const res = await send('GET', '/api/v1/missing', { headers: { 'X-Request-ID': id } })
    expect(res.headers.get('X-Request-ID')).toBe(id)
    expect((await failure(res)).body.trace_id).toBe(id)
  })

  it('replaces a malformed one', async () => {
    const res = await ping({ 'X-Request-ID': 'bad id <script>' })
    expect(res.headers.get('X-Request-ID')).toMatch(/^[0-9a-f]{32}$/)
  })
})
