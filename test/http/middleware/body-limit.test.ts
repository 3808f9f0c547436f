import { beforeAll, describe, expect, it } from 'vitest'
import { callJson, jsonInit } from '../../helpers/app'
import { mountTestRoutes } from '../../helpers/test-routes'

beforeAll(mountTestRoutes)

describe('body limit', () => {
  it('answers 413 in the envelope for a body over the configured limit', async () => {
    const init = jsonInit('POST', { name: 'x'.repeat(200), age: 1, kind: 'a' })
    const { res, body } = await callJson('/test/things', init, { BODY_LIMIT_BYTES: '64' })
    expect(res.status).toBe(413)
    expect(body).toMatchObject({ code: 413, msg: 'Request body is larger than the limit of 64 bytes' })
  })

  it('also catches a streamed body without Content-Length', async () => {
    const stream = new ReadableStream({
      start(controller) {
        controller.enqueue(new TextEncoder().encode(JSON.stringify({ name: 'x'.repeat(500) })))
        controller.close()
      },
    })
    const init = { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: stream, duplex: 'half' }
    const { res } = await callJson('/test/things', init as RequestInit, { BODY_LIMIT_BYTES: '64' })
    expect(res.status).toBe(413)
  })

  it('lets a body under the limit through', async () => {
    const { res } = await callJson('/test/things', jsonInit('POST', { name: 'ok', age: 1, kind: 'a' }))
    expect(res.status).toBe(200)
  })
})
