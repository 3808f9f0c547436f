/** The access port (src/http/access.ts): without an access check in the context, a non-public route fails closed. */
import { describe, expect, it } from 'vitest'
import { defineRoute, nullEnvelope } from '../../src/http/openapi'
import { createRouter } from '../../src/http/router'

function routerWith(access: 'public' | 'authenticated') {
  let reached = false
  const route = defineRoute({ method: 'get', path: '/probe', access, responses: nullEnvelope('Probe') })
  const router = createRouter().openapi(route, (c) => {
    reached = true
    // No request context here (no language to translate `msg` with): a bare envelope.
    return c.json({ code: 200, msg: 'ok', data: null }, 200)
  })
  router.onError((err, c) => c.json({ error: err.name }, 500))
  return { router, reached: () => reached }
}

describe('requireAccess', () => {
  it('refuses a non-public route when the app gave no access check', async () => {
    const { router, reached } = routerWith('authenticated')
    const res = await router.request('/probe')
    expect(res.status).toBe(500)
    expect(await res.json()).toEqual({ error: 'InternalError' })
    expect(reached()).toBe(false)
  })

  it('puts nothing in front of a public route', async () => {
    const { router, reached } = routerWith('public')
    expect((await router.request('/probe')).status).toBe(200)
    expect(reached()).toBe(true)
  })
})
