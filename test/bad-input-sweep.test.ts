/**
 * The bad-input sweep, generated from both versions' OpenAPI documents: every operation, signed in as admin, gets
 * junk — no body, malformed JSON, the wrong media types (text, form, multipart, XML, none), bodies of the wrong
 * shape and type, huge/negative/non-numeric/odd ids and odd query values. Every answer must be below 500, and every
 * error answer the error envelope. (A route that cannot handle its input is a 5xx here; a dependency answering 503
 * would be one too — the emulators are up.)
 */
import { z } from '@hono/zod-openapi'
import { beforeAll, describe, expect, it } from 'vitest'
import { SUPPORTED_VERSIONS } from '../src/app/app'
import { ErrorEnvelopeSchema } from '../src/core/envelope'
import { login } from './helpers/auth'
import { seedFileDatabase } from './helpers/database'
import { send } from './helpers/harness'
import { type OpenApiDocument, openApiDocument } from './http/openapi-document'

const ParameterSchema = z.looseObject({ name: z.string(), in: z.string() })
const SweepOperationSchema = z.looseObject({
  'x-access': z.string().optional(),
  parameters: z.array(ParameterSchema).optional(),
  requestBody: z.looseObject({ content: z.record(z.string(), z.looseObject({ schema: z.unknown() })) }).optional(),
})
const JsonSchema = z.looseObject({
  $ref: z.string().optional(),
  type: z.union([z.string(), z.array(z.string())]).optional(),
  properties: z.record(z.string(), z.unknown()).optional(),
})

interface Operation {
  method: string
  /** OpenAPI path under `/api/<version>`, with `{param}`s. */
  path: string
  pathParams: string[]
  queryParams: string[]
  /** Declared body media types (empty: no body). */
  media: string[]
  /** Declared JSON body properties with their schema type (for wrong-typed bodies). */
  properties: Record<string, string>
  /** QStash's routes: the signature is checked before anything else (junk gets 401 there). */
  signed: boolean
}

/** The schema behind a `$ref` (`#/components/schemas/X`) or the schema itself. */
function resolve(doc: OpenApiDocument, schema: unknown): z.infer<typeof JsonSchema> | undefined {
  const parsed = JsonSchema.safeParse(schema)
  if (!parsed.success) return undefined
  const ref = parsed.data.$ref
  if (!ref) return parsed.data
  return resolve(doc, doc.components.schemas?.[ref.split('/').pop() ?? ''])
}

function operationsOf(doc: OpenApiDocument, version: string): Operation[] {
  const ops: Operation[] = []
  for (const [path, byMethod] of Object.entries(doc.paths)) {
    for (const [method, raw] of Object.entries(byMethod)) {
      const op = SweepOperationSchema.parse(raw)
      const params = op.parameters ?? []
      const content = op.requestBody?.content ?? {}
      const properties: Record<string, string> = {}
      const body = resolve(doc, content['application/json']?.schema)
      for (const [name, prop] of Object.entries(body?.properties ?? {})) {
        const type = resolve(doc, prop)?.type
        properties[name] = (Array.isArray(type) ? type[0] : type) ?? 'string'
      }
      ops.push({
        method: method.toUpperCase(),
        path: `/api/${version}${path}`,
        pathParams: params.filter((p) => p.in === 'path').map((p) => p.name),
        queryParams: params.filter((p) => p.in === 'query').map((p) => p.name),
        media: Object.keys(content),
        properties,
        signed: op['x-access'] === 'qstash',
      })
    }
  }
  return ops
}

/** Ids a client might send: not found, huge, negative, zero, fractional, not a number, control and quote characters. */
const ODD_IDS = [
  '999999',
  '99999999999999999999999',
  '-1',
  '0',
  '1.5',
  'abc',
  '%00',
  "1'%20OR%20'1'='1",
  'x'.repeat(300),
]

/** Values of the wrong type for a property of `type`, plus ones wrong for every type. */
function wrongTyped(properties: Record<string, string>, variant: number): Record<string, unknown> {
  const wrong: Record<string, unknown> = {}
  for (const [name, type] of Object.entries(properties)) {
    if (variant === 0)
      wrong[name] =
        type === 'string' ? 12345 : type === 'array' ? { not: 'a list' } : type === 'object' ? ['x'] : 'not-a-number'
    else if (variant === 1) wrong[name] = type === 'string' ? 'x'.repeat(100_000) : type === 'array' ? [null, {}] : -1
    else wrong[name] = type === 'string' ? '\u0000\u202e' : type === 'array' ? [2 ** 63, -1e308] : 1e308
  }
  return wrong
}

interface Probe {
  label: string
  path: string
  init: { body?: BodyInit; headers?: Record<string, string> }
}

const nested = (depth: number): unknown => (depth === 0 ? 1 : { a: nested(depth - 1) })

function probesFor(op: Operation): Probe[] {
  const fill = (value: string) => op.path.replace(/\{(\w+)\}/g, () => value)
  const path = fill('999999')
  const probes: Probe[] = []
  // Ids, each with an otherwise empty request.
  if (op.pathParams.length)
    for (const id of ODD_IDS) probes.push({ label: `id ${id.slice(0, 20)}`, path: fill(id), init: {} })
  else probes.push({ label: 'no body', path, init: {} })
  // Query values: empty, not a number, negative, huge, repeated, unknown.
  if (op.queryParams.length) {
    for (const value of ['', 'abc', '-1', '99999999999999999999', '%5Bobject%20Object%5D']) {
      const query = op.queryParams.map((name) => `${name}=${value}`).join('&')
      probes.push({ label: `query ${value || '(empty)'}`, path: `${path}?${query}`, init: {} })
    }
    const repeated = op.queryParams.map((name) => `${name}=1&${name}=2&${name}[x]=3`).join('&')
    probes.push({ label: 'query repeated', path: `${path}?${repeated}&no_such_param=1`, init: {} })
  }
  // Bodies: whatever the route declares, it gets every wrong media type and every wrong shape.
  if (op.media.length || op.method !== 'GET') {
    const json = (body: string) => ({ body, headers: { 'Content-Type': 'application/json' } })
    const form = new FormData()
    form.set('name', 'x')
    form.set('file', new Blob(['not a zip'], { type: 'application/zip' }), 'x.zip')
    const bodies: [string, Probe['init']][] = [
      ['empty JSON', json('')],
      ['malformed JSON', json('{"name": ')],
      ['JSON array', json('[]')],
      ['JSON string', json('"text"')],
      ['JSON null', json('null')],
      ['JSON number', json('123')],
      ['JSON {}', json('{}')],
      ['deeply nested JSON', json(JSON.stringify(nested(500)))],
      ['wrong types', json(JSON.stringify(wrongTyped(op.properties, 0)))],
      ['huge and negative values', json(JSON.stringify(wrongTyped(op.properties, 1)))],
      ['extreme values', json(JSON.stringify(wrongTyped(op.properties, 2)))],
      ['text/plain', { body: 'hello', headers: { 'Content-Type': 'text/plain' } }],
      ['form', { body: 'name=x&status=1', headers: { 'Content-Type': 'application/x-www-form-urlencoded' } }],
      ['multipart', { body: form }],
      ['XML', { body: '<a>1</a>', headers: { 'Content-Type': 'application/xml' } }],
      // Bytes: for a string body fetch would add `Content-Type: text/plain` itself.
      ['no Content-Type', { body: new TextEncoder().encode('{"name":"x"}') }],
      ['odd JSON Content-Type', { body: '{}', headers: { 'Content-Type': 'application/json; charset=klingon' } }],
    ]
    for (const [label, init] of bodies) probes.push({ label, path, init })
  }
  return probes
}

/** The whole answer checked: below 500, and the error envelope when it is an error. */
async function judge(res: Response): Promise<string | undefined> {
  const text = await res.text()
  if (res.status >= 500) return `${res.status} ${text.slice(0, 200)}`
  if (res.status < 400) return undefined
  let body: unknown
  try {
    body = JSON.parse(text)
  } catch {
    return `${res.status} not JSON: ${text.slice(0, 100)}`
  }
  const envelope = ErrorEnvelopeSchema.safeParse(body)
  if (!envelope.success) return `${res.status} not the error envelope: ${text.slice(0, 100)}`
  return undefined
}

let ops: Operation[] = []
let token = ''

beforeAll(async () => {
  await seedFileDatabase()
  for (const version of SUPPORTED_VERSIONS) ops.push(...operationsOf(await openApiDocument(version), version))
  // Logout (no body needed) would end the session the sweep runs on: it goes last.
  ops = [...ops.filter((o) => !o.path.endsWith('/auth/logout')), ...ops.filter((o) => o.path.endsWith('/auth/logout'))]
  token = (await login('admin')).accessToken
})

describe('bad-input sweep', () => {
  it('answers every junk request to every operation below 500, errors in the envelope', async () => {
    const wrong: string[] = []
    const statuses = new Map<number, number>()
    let sent = 0
    for (const op of ops) {
      const probes = probesFor(op)
      // One operation's probes in parallel; operations one after another (a write must not race its own probes).
      const results = await Promise.all(
        probes.map(async (probe) => {
          const headers = { 'CF-Connecting-IP': '198.51.100.7', ...probe.init.headers }
          const res = await send(op.method, probe.path, { token, body: probe.init.body, headers })
          return { probe, res, problem: await judge(res) }
        }),
      )
      for (const { probe, res, problem } of results) {
        sent++
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1)
        if (problem) wrong.push(`${op.method} ${op.path} [${probe.label}] → ${problem}`)
      }
      // A probe that ended the session (logout) must not turn the rest of the sweep into 401s.
      if (results.some(({ res }) => res.status === 401)) token = (await login('admin')).accessToken
    }
    console.log(
      `bad-input sweep: ${sent} requests over ${ops.length} operations; statuses ${JSON.stringify(Object.fromEntries([...statuses].sort()))}`,
    )
    expect(wrong).toEqual([])
    expect(sent).toBeGreaterThan(ops.length * 5)
    // ~1 500 requests, each write followed by its operation-log insert (the harness waits for `waitUntil`).
  }, 60_000)

  it('answers a wrong or missing Content-Type on a JSON route with 415, not 500', async () => {
    token = (await login('admin')).accessToken // the sweep ended with a logout
    // Not QStash's routes: an unsigned request is refused before its body is looked at.
    const jsonRoutes = ops.filter((o) => !o.signed && o.media.length === 1 && o.media[0] === 'application/json')
    expect(jsonRoutes.length).toBeGreaterThan(10)
    const wrong: string[] = []
    for (const op of jsonRoutes) {
      // An existing id: the media type is checked with the body, after the access and data-permission checks.
      const path = op.path.replace(/\{(\w+)\}/g, '1')
      for (const headers of [{ 'Content-Type': 'text/plain' }, {}] as Record<string, string>[]) {
        const bytes = new TextEncoder().encode('{"name":"x"}') // bytes: no Content-Type unless given
        const res = await send(op.method, path, { token, body: bytes, headers })
        const status = res.status
        const body = ErrorEnvelopeSchema.safeParse(await res.json())
        if (status !== 415 || !body.success || body.data.code !== 415)
          wrong.push(`${op.method} ${op.path} (${headers['Content-Type'] ?? 'none'}) → ${status}`)
      }
    }
    expect(wrong).toEqual([])
  })
})
