/**
 * The headers of one request's response, collected in a plain record and handed to the `Response` once.
 *
 * Why not Hono's `c.header()`: it collects into a `Headers` object that `c.json()` copies into the Response, and in
 * Node (undici) every `Headers` write validates its name and value — each of the ~9 headers every API response
 * carries (trace id, version, security set, timing) was validated three times. A record passed as the Response's
 * init is validated once, which more than halves the cost of building a response.
 *
 * The request context (middleware/request-context.ts) creates one per request and points `c.header()` at it, so Hono
 * helpers and libraries (cookies, CORS) keep working. `respondJson()` (core/envelope.ts) builds the response from it;
 * a response built any other way (pages, static assets, Hono helpers) gets the record's headers when the request
 * finishes (`finish()`).
 */

import type { Context } from 'hono'

export class ResponseHeaders {
  /** One value per lower-case name; multi-valued `Set-Cookie` lines live in `cookies`. */
  private readonly values: Record<string, string>
  private readonly cookies: string[] = []
  /** The response built from this record: later writes go straight to it. */
  private built: Response | undefined
  private context: Context | undefined
  private honoHeader: Context['header'] | undefined

  /** `startedAt` (the request's start) feeds `Server-Timing: total;dur=…`, stamped when the response is built. */
  constructor(
    base: Readonly<Record<string, string>>,
    readonly startedAt = performance.now(),
  ) {
    this.values = { ...base }
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

  private contextHeader(name: string, value?: string, options?: { append?: boolean }): void {
    const c = this.context
    if (c?.finalized) this.writeToResponse(c.res, name, value, options)
    else this.write(name, value, options)
  }

  /** Writes to a finished response; immutable headers (a fetched asset): Hono's `c.header()` re-creates it. */
  private writeToResponse(res: Response, name: string, value?: string, options?: { append?: boolean }): void {
    try {
      writeHeaders(res.headers, name, value, options)
    } catch {
      this.honoHeader?.(name, value, options)
    }
  }

  /** Hono's `c.header()` semantics: undefined deletes, `append` adds (`Set-Cookie` keeps one line per cookie). */
  write(name: string, value?: string, options?: { append?: boolean }): void {
    if (this.built) {
      // The context's response once Hono holds one (Hono copies a returned response when a middleware touched
      // `c.res` earlier, e.g. CORS), else the one just built.
      const c = this.context
      this.writeToResponse(c?.finalized ? c.res : this.built, name, value, options)
      return
    }
    const key = name.toLowerCase()
    if (value === undefined) {
      delete this.values[key]
      if (key === 'set-cookie') this.cookies.length = 0
    } else if (key === 'set-cookie') {
      if (!options?.append) this.cookies.length = 0
      this.cookies.push(value)
    } else if (options?.append && this.values[key] !== undefined) {
      this.values[key] = `${this.values[key]}, ${value}`
    } else {
      this.values[key] = value
    }
  }

  get(name: string): string | undefined {
    return this.values[name.toLowerCase()]
  }

  /** Builds the response with every collected header (validated once, by the Response constructor). */
  build(body: BodyInit | null, status: number, extra?: Readonly<Record<string, string>>): Response {
    const values = this.values
    if (extra) for (const name in extra) values[name.toLowerCase()] = extra[name] as string
    values['server-timing'] = this.timing()
    const init = this.cookies.length
      ? [...Object.entries(values), ...this.cookies.map((v) => ['set-cookie', v])]
      : values
    this.built = new Response(body, { status, headers: init as HeadersInit })
    return this.built
  }

  /** Copies the record onto the context's response when it was built elsewhere; the response's own headers win. */
  finish(): void {
    const c = this.context
    if (!c || c.res === this.built) return
    this.values['server-timing'] = this.timing()
    // `c.res` each time: a fallback write may have replaced the response.
    for (const name in this.values) {
      if (!c.res.headers.has(name)) this.writeToResponse(c.res, name, this.values[name])
    }
    for (const cookie of this.cookies) this.writeToResponse(c.res, 'set-cookie', cookie, { append: true })
  }

  private timing(): string {
    return `total;dur=${Math.round((performance.now() - this.startedAt) * 10) / 10}`
  }

  /** Whether `res` was built from this record (and so carries its headers already). */
  builtAs(res: Response): boolean {
    return res === this.built
  }
}

function writeHeaders(headers: Headers, name: string, value?: string, options?: { append?: boolean }): void {
  if (value === undefined) headers.delete(name)
  else if (options?.append) headers.append(name, value)
  else headers.set(name, value)
}
