/** The per-request header record: Hono's `c.header()` semantics, one Response build, and headers for foreign responses. */
import { Hono } from 'hono'
import { describe, expect, it } from 'vitest'
import { ResponseHeaders } from '../../src/http/response-headers'

const TIMING = /^total;dur=\d/

describe('ResponseHeaders record', () => {
  it('copies the base headers without mutating the base', () => {
    const base = { 'x-frame-options': 'DENY', vary: 'Origin' }
    const headers = new ResponseHeaders(base)
    headers.write('X-Frame-Options', 'SAMEORIGIN')
    headers.write('X-New', '1')
    expect(headers.get('x-frame-options')).toBe('SAMEORIGIN')
    expect(headers.get('vary')).toBe('Origin')
    expect(base).toEqual({ 'x-frame-options': 'DENY', vary: 'Origin' })
  })

  it('lower-cases names, overwrites, and deletes on undefined', () => {
    const headers = new ResponseHeaders({})
    headers.write('X-Thing', 'a')
    expect(headers.get('x-thing')).toBe('a')
    expect(headers.get('X-THING')).toBe('a')
    headers.write('x-THING', 'b')
    expect(headers.get('X-Thing')).toBe('b')
    headers.write('X-Thing')
    expect(headers.get('x-thing')).toBeUndefined()
    expect(headers.build(null, 204).headers.has('x-thing')).toBe(false)
  })

  it('joins appended values with ", " (and append on a missing name just sets it)', () => {
    const headers = new ResponseHeaders({ vary: 'Origin' })
    headers.write('Vary', 'Accept-Encoding', { append: true })
    headers.write('X-Fresh', 'one', { append: true })
    expect(headers.get('vary')).toBe('Origin, Accept-Encoding')
    expect(headers.get('x-fresh')).toBe('one')
  })

  it('keeps one Set-Cookie line per appended cookie', () => {
    const headers = new ResponseHeaders({})
    headers.write('Set-Cookie', 'a=1; Path=/', { append: true })
    headers.write('set-cookie', 'b=2; Path=/', { append: true })
    expect(headers.build(null, 204).headers.getSetCookie()).toEqual(['a=1; Path=/', 'b=2; Path=/'])
  })

  it('replaces earlier cookies on a Set-Cookie write without append, and drops them on undefined', () => {
    const replaced = new ResponseHeaders({})
    replaced.write('Set-Cookie', 'a=1', { append: true })
    replaced.write('Set-Cookie', 'b=2')
    expect(replaced.build(null, 204).headers.getSetCookie()).toEqual(['b=2'])

    const dropped = new ResponseHeaders({})
    dropped.write('Set-Cookie', 'a=1')
    dropped.write('Set-Cookie')
    expect(dropped.build(null, 204).headers.getSetCookie()).toEqual([])
  })
})

describe('ResponseHeaders.build', () => {
  it('builds a Response with every header, the status, the extras and Server-Timing', async () => {
    const headers = new ResponseHeaders({ 'x-content-type-options': 'nosniff' })
    headers.timeFrom(performance.now())
    headers.write('X-Request-ID', 'trace-1')
    const res = headers.build('{"ok":true}', 201, 'application/json', { 'X-Request-ID': 'trace-2' })
    expect(res.status).toBe(201)
    expect(await res.text()).toBe('{"ok":true}')
    expect(res.headers.get('x-content-type-options')).toBe('nosniff')
    expect(res.headers.get('content-type')).toBe('application/json')
    // `extra` wins over the record, and a mixed-case extra name does not produce a second header.
    expect(res.headers.get('x-request-id')).toBe('trace-2')
    expect(res.headers.get('server-timing')).toMatch(TIMING)
  })

  it('reports no Server-Timing unless timed', () => {
    expect(new ResponseHeaders({}).build(null, 204).headers.has('server-timing')).toBe(false)
  })

  it('sends later writes straight to the built response', () => {
    const headers = new ResponseHeaders({ vary: 'Origin' })
    const res = headers.build(null, 204)
    headers.write('X-Late', '1')
    headers.write('Vary', 'Accept', { append: true })
    headers.write('Set-Cookie', 'a=1', { append: true })
    headers.write('Set-Cookie', 'b=2', { append: true })
    expect(res.headers.get('x-late')).toBe('1')
    expect(res.headers.get('vary')).toBe('Origin, Accept')
    expect(res.headers.getSetCookie()).toEqual(['a=1', 'b=2'])
    headers.write('X-Late')
    expect(res.headers.has('x-late')).toBe(false)
  })

  it('knows the response it built', () => {
    const headers = new ResponseHeaders({})
    const res = headers.build(null, 204)
    expect(headers.builtAs(res)).toBe(true)
    expect(headers.builtAs(new Response(null, { status: 204 }))).toBe(false)
  })
})

describe('ResponseHeaders.adopt / finish in a Hono app', () => {
  const BASE = { 'x-frame-options': 'DENY', 'x-base': 'base', vary: 'Origin' }

  /** An app whose first middleware seeds the record, like middleware/request-context.ts. */
  function appWith(register: (app: Hono<{ Variables: { record: ResponseHeaders } }>) => void) {
    const app = new Hono<{ Variables: { record: ResponseHeaders } }>()
    app.use('*', async (c, next) => {
      const headers = new ResponseHeaders({ ...BASE })
      headers.timeFrom(performance.now())
      headers.adopt(c)
      c.set('record', headers)
      await next()
      headers.finish()
    })
    register(app)
    return app
  }

  it('adds the record to a response Hono built; the handler’s own values win', async () => {
    const app = appWith((app) =>
      app.get('/', (c) => {
        c.header('X-A', '1')
        // Through the record: overrides the base value.
        c.header('X-Frame-Options', 'SAMEORIGIN')
        // On the response itself: finish() must not overwrite it.
        return c.text('hi', 200, { 'X-Base': 'handler' })
      }),
    )
    const res = await app.request('/')
    expect(res.status).toBe(200)
    expect(await res.text()).toBe('hi')
    expect(res.headers.get('x-a')).toBe('1')
    expect(res.headers.get('x-frame-options')).toBe('SAMEORIGIN')
    expect(res.headers.get('x-base')).toBe('handler')
    expect(res.headers.get('vary')).toBe('Origin')
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/)
    expect(res.headers.get('server-timing')).toMatch(TIMING)
  })

  it('adds the record to a plain c.text() response (Hono’s fast path without prepared headers)', async () => {
    const app = appWith((app) =>
      app.get('/', (c) => {
        c.header('X-A', '1')
        return c.text('hi')
      }),
    )
    const res = await app.request('/')
    expect(res.headers.get('x-a')).toBe('1')
    expect(res.headers.get('x-base')).toBe('base')
  })

  it('keeps every cookie written through c.header() on a response built from the record', async () => {
    const app = appWith((app) =>
      app.get('/', (c) => {
        c.header('Set-Cookie', 'a=1', { append: true })
        c.header('Set-Cookie', 'b=2', { append: true })
        return c.get('record').build('{}', 200, 'application/json')
      }),
    )
    const res = await app.request('/')
    expect(res.headers.getSetCookie()).toEqual(['a=1', 'b=2'])
    expect(res.headers.get('x-base')).toBe('base')
    expect(res.headers.get('server-timing')).toMatch(TIMING)
  })

  it('copies cookies onto a response built elsewhere', async () => {
    const app = appWith((app) =>
      app.get('/', (c) => {
        c.header('Set-Cookie', 'a=1', { append: true })
        c.header('Set-Cookie', 'b=2', { append: true })
        return c.json({ ok: true })
      }),
    )
    const res = await app.request('/')
    expect(res.headers.getSetCookie()).toEqual(['a=1', 'b=2'])
  })

  it('adds the record to a response with immutable headers without throwing', async () => {
    const app = appWith((app) =>
      app.get('/', () => {
        const res = Response.redirect('https://x.test/', 302)
        // Precondition: the headers really are immutable here.
        expect(() => res.headers.set('x-probe', '1')).toThrow()
        return res
      }),
    )
    const res = await app.request('/')
    expect(res.status).toBe(302)
    expect(res.headers.get('location')).toBe('https://x.test/')
    expect(res.headers.get('x-base')).toBe('base')
    expect(res.headers.get('x-frame-options')).toBe('DENY')
    expect(res.headers.get('server-timing')).toMatch(TIMING)
  })

  it('sends c.header() after the handler to the finished response', async () => {
    const app = appWith((app) => {
      app.use('*', async (c, next) => {
        await next()
        // The response exists (finalized) and was not built from the record: Hono's own header() applies.
        c.header('X-After', '1')
      })
      app.get('/', (c) => c.text('hi'))
    })
    const res = await app.request('/')
    expect(res.headers.get('x-after')).toBe('1')
    expect(res.headers.get('x-base')).toBe('base')
  })
})

describe('ResponseHeaders base sets', () => {
  it('removes a base header this request deleted, and keeps its own writes across a rebase', () => {
    const headers = new ResponseHeaders({ 'x-frame-options': 'DENY', vary: 'Origin' })
    headers.write('X-Frame-Options')
    headers.write('X-Request-ID', 'trace-1')
    headers.rebase({ 'x-frame-options': 'DENY', vary: 'Origin', 'x-api-version': 'v2' })
    const res = headers.build('{}', 200, 'application/json')
    expect(res.headers.has('x-frame-options')).toBe(false)
    expect(res.headers.get('x-request-id')).toBe('trace-1')
    expect(res.headers.get('x-api-version')).toBe('v2')
    expect(res.headers.get('content-type')).toBe('application/json')
  })

  it('reuses one base set for many responses without leaking one request’s headers into the next', () => {
    const base = Object.freeze({ vary: 'Origin' })
    const first = new ResponseHeaders(base)
    first.write('X-Only-First', '1')
    first.write('Vary', 'Accept', { append: true })
    const one = first.build(null, 204, 'application/json')
    const two = new ResponseHeaders(base).build(null, 204, 'application/json')
    expect(one.headers.get('vary')).toBe('Origin, Accept')
    expect(two.headers.get('vary')).toBe('Origin')
    expect(two.headers.has('x-only-first')).toBe(false)
  })
})
