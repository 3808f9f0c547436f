import { beforeAll, describe, expect, it } from 'vitest'
import { failure, send } from '../../helpers/harness'
import { mountTestRoutes } from '../../helpers/test-routes'

beforeAll(mountTestRoutes)

const SMALL = { BODY_LIMIT_BYTES: '64' }

describe('body limit', () => {
  it('answers 413 in the envelope for a body over the configured limit', async () => {
    const json = { name: 'x'.repeat(200), age: 1, kind: 'a' }
    const { status, body } = await failure(send('POST', '/test/things', { json, overrides: SMALL }))
    expect(status).toBe(413)
    expect(body).toMatchObject({ code: 413, msg: 'Request body is larger than the limit of 64 bytes' })
  })

  it('also catches a streamed body without Content-Length', async () => {
    const stream = new ReadableStream({
      start(controller) {
        controller.enqueue(new TextEncoder().encode(JSON.stringify({ name: 'x'.repeat(500) })))
        controller.close()
      },
    })
    const res = await send('POST', '/test/things', {
      body: stream,
      headers: { 'Content-Type': 'application/json' },
      overrides: SMALL,
    })
    expect((await failure(res)).status).toBe(413)
  })

  it('lets a body under the limit through', async () => {
    const res = await send('POST', '/test/things', { json: { name: 'ok', age: 1, kind: 'a' } })
    expect(res.status).toBe(200)
  })
})
