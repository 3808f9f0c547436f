import { describe, expect, it } from 'vitest'
import { callJson } from '../../helpers/app'

describe('health', () => {
  it('ping answers without dependencies', async () => {
    const { res, body } = await callJson('/api/v1/health/ping')
    expect(res.status).toBe(200)
    expect(body).toMatchObject({ code: 200, msg: 'Request success', data: { status: 'ok', api_version: 'v1' } })
  })
})
