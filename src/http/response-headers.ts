/**
 * The headers of one request's response: a shared, precomputed base (the secure set and version, core of every
 * response) plus this request's own writes, handed to the `Response` once.
 *
 * Why not Hono's `c.header()`: it collects into a `Headers` object that `c.json()` copies into the Response, and in
 * Node (undici) every header write converts and validates its name and value — each of the ~9 headers every API
 * response carries was validated three times. Here the base is a `Headers` template built once per header set and
 * content type: a Response initialised from a `Headers` copies its list without the record conversion a plain object
 * goes through, and only this request's own headers (trace id, timing, cookies…) are written one by one.
 *
 * The request context (middleware/request-context.ts) creates one per request and points `c.header()` at it, so Hono
 * helpers and libraries (cookies, CORS) keep working. `respondJson()` (core/envelope.ts) builds the response from it;
 * a response built any other way (pages, static assets, Hono helpers) gets the headers when the request finishes
 * (`finish()`).
 */

import type { Context } from 'hono'

/** A header set shared by many requests: lower-case names, never mutated (its template is cached by identity). */
export type HeaderSet = Readonly<Record<string, string>>

type WriteOptions = { append?: boolean }

/** Template `Headers` per base set and content type; a set's templates live as long as the set. */
const templates = new WeakMap<HeaderSet, Map<string, Headers>>()
/** Content types per set with a template: a handful in practice; beyond the bound, templates are not kept. */
const MAX_TEMPLATES_PER_SET = 16

function templateOf(base: HeaderSet, contentType: string | undefined): Headers {
  let byType = templates.get(base)
  if (!byType) {
    byType = new Map()
    templates.set(base, byType)
  }
  const key = contentType ?? ''
  let template = byType.get(key)
  if (!template) {
    template = new Headers(base)
    if (contentType) template.set('content-type', contentType)
    if (byType.size < MAX_TEMPLATES_PER_SET) byType.set(key, template)
  }
  return template
}

export class ResponseHeaders {
  private base: HeaderSet
  /** This request's writes by lower-case name; `undefined` removes a base header. `Set-Cookie` lives in `cookies`. */
  private readonly own = new Map<string, string | undefined>()
  private cookies: string[] | undefined
  /** The response built from this record: later writes go straight to it. */
  private built: Response | undefined
  private context: Context | undefined
  private honoHeader: Context['header'] | undefined

  /** Set by `timeFrom()`: the response then carries `Server-Timing: total;dur=…`, stamped when it is built. */
  private startedAt: number | undefined

  constructor(base: HeaderSet) {
    this.base = base
  }

  /** Reports `Server-Timing` measured from `startedAt` (a `performance.now()` reading). */
  timeFrom(startedAt: number): void {
    this.startedAt = startedAt
  }

  /** Swaps the shared base (e.g. for one that also names the API version); this request's own writes are kept. */
  rebase(base: HeaderSet): void {
    this.base = base
  }

  /**
   * Points `c.header()` at this record until a response exists; for a response built elsewhere (Hono helpers,
   * assets) Hono's own `c.header()` then applies. A bound method, not a closure: a closure created in the
   * middleware keeps the suspended middleware's whole scope reachable from the context, which in V8 let every
   * request's objects survive into the old generation (3x the GC time).
   */
  adopt(c: Context): void {
    this.context = c
    this.honoHeader = c.header
    c.header = this.contextHeader.bind(this)
  }

  private contextHeader(name: string, value?: string, options?: WriteOptions): void {
    const c = this.context
    if (c?.finalized) this.writeToResponse(c.res, name, value, options)
    else this.write(name, value, options)
  }

  /** Writes to a finished response; immutable headers (a fetched asset): Hono's `c.header()` re-creates it. */
  private writeToResponse(res: Response, name: string, value?: string, options?: WriteOptions): void {
    try {
      writeHeaders(res.headers, name, value, options)
    } catch {
      this.honoHeader?.(name, value, options)
    }
  }

  /** Hono's `c.header()` semantics: undefined deletes, `append` adds (`Set-Cookie` keeps one line per cookie). */
  write(name: string, value?: string, options?: WriteOptions): void {
    if (this.built) {
      // The context's response once Hono holds one (Hono copies a returned response when a middleware touched
      // `c.res` earlier, e.g. CORS), else the one just built.
      const c = this.context
      this.writeToResponse(c?.finalized ? c.res : this.built, name, value, options)
      return
    }
    const key = name.toLowerCase()
    if (key === 'set-cookie') {
      if (value === undefined) this.cookies = undefined
      else if (options?.append && this.cookies) this.cookies.push(value)
      else this.cookies = [value]
      return
    }
    const current = options?.append && value !== undefined ? this.get(key) : undefined
    this.own.set(key, current === undefined ? value : `${current}, ${value}`)
  }

  get(name: string): string | undefined {
    const key = name.toLowerCase()
    return this.own.has(key) ? this.own.get(key) : this.base[key]
  }

  /**
   * Builds the response: the base template (with `contentType`, if any), then this request's writes, `extra`
   * (winning over both) and `Server-Timing` (when timed).
   */
  build(
    body: BodyInit | null,
    status: number,
    contentType?: string,
    extra?: Readonly<Record<string, string>>,
  ): Response {
    if (extra) for (const name in extra) this.write(name, extra[name])
    const res = new Response(body, { status, headers: templateOf(this.base, contentType) })
    const headers = res.headers
    for (const [name, value] of this.own) {
      if (value === undefined) headers.delete(name)
      else headers.set(name, value)
    }
    if (this.cookies) for (const cookie of this.cookies) headers.append('set-cookie', cookie)
    if (this.startedAt !== undefined) headers.set('server-timing', this.timing(this.startedAt))
    this.built = res
    return res
  }

  /** Copies the headers onto the context's response when it was built elsewhere; the response's own headers win. */
  finish(): void {
    const c = this.context
    if (!c || c.res === this.built) return
    const own = this.own
    if (this.startedAt !== undefined) own.set('server-timing', this.timing(this.startedAt))
    for (const name in this.base) if (!own.has(name)) this.addMissing(c, name, this.base[name])
    for (const [name, value] of own) this.addMissing(c, name, value)
    if (this.cookies)
      for (const cookie of this.cookies) this.writeToResponse(c.res, 'set-cookie', cookie, { append: true })
  }

  private addMissing(c: Context, name: string, value: string | undefined): void {
    // `c.res` each time: a fallback write may have replaced the response.
    if (value !== undefined && !c.res.headers.has(name)) this.writeToResponse(c.res, name, value)
  }

  private timing(startedAt: number): string {
    return `total;dur=${Math.round((performance.now() - startedAt) * 10) / 10}`
  }

  /** Whether `res` was built from this record (and so carries its headers already). */
  builtAs(res: Response): boolean {
    return res === this.built
  }
}

function writeHeaders(headers: Headers, name: string, value?: string, options?: WriteOptions): void {
  if (value === undefined) headers.delete(name)
  else if (options?.append) headers.append(name, value)
  else headers.set(name, value)
}
