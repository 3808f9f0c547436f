import { describe, expect, it } from 'vitest'
import { call, callJson } from '../../helpers/app'

describe('trace id', () => {
  it('generates one when absent and echoes it', async () => {
    const res = await call('/api/v1/health/ping')
    expect(res.headers.get('X-Request-ID')).toMatch(/^[0-9a-f]{32}$/)
  })

  it('keeps a well-formed incoming X-Request-ID', async () => {
    const id = '4f8e2a1c-9b7d-4c3e-8f6a-1b2c3d4e5f60'
    const { res, body } = await callJson('/api/v1/missing', { headers: { 'X-Request-ID': id } })
    expect(res.headers.get('X-Request-ID')).toBe(id)
    expect(body.trace_id).toBe(id)
  })

  it('replaces a malformed one', async () => {
    const res = await call('/api/v1/health/ping', { headers: { 'X-Request-ID': 'bad id <script>' } })
    expect(res.headers.get('X-Request-ID')).toMatch(/^[0-9a-f]{32}$/)
  })
})
