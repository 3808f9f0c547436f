/**
 * The support matrices in docs/emulators.md against the emulators themselves: a command or endpoint added (or
 * specially handled) without a row fails here, and so does a row for something the emulator does not do.
 *
 * What counts as "the emulator does it" is probed, not read from the docs: the libSQL and QStash routers are asked
 * over HTTP, the Redis command policy is run on every command Redis 7 and `@upstash/redis` know. The official
 * clients' own sources say which requests, commands and endpoints they can send.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Redis } from '@upstash/redis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type RunningLibsqlEmulator, startLibsqlEmulator } from '../../../tools/emulators/libsql/index'
import {
  QSTASH_ENDPOINTS,
  type RunningQstashEmulator,
  startQstashEmulator,
} from '../../../tools/emulators/qstash/index'
import type { RedisArg } from '../../../tools/emulators/redis/command-args'
import { commandCatalogue } from '../../../tools/emulators/redis/command-names'
import { type PreparedCommand, prepareCommand } from '../../../tools/emulators/redis/command-policy'
import { ScriptRegistry } from '../../../tools/emulators/redis/lua-scripts'
import { useRedisEmulator } from './redis-emulator'

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../../..')

interface Row {
  label: string
  tokens: string[]
  status: string
}

/** The rows of `## Support matrix: <name>`: backticked names of the first cell, first word of the second. */
function matrix(name: string): Row[] {
  const text = readFileSync(join(ROOT, 'docs/emulators.md'), 'utf8')
  const start = text.indexOf(`## Support matrix: ${name}\n`)
  expect(start, `docs/emulators.md has a "Support matrix: ${name}" section`).toBeGreaterThanOrEqual(0)
  const end = text.indexOf('\n## ', start + 1)
  const rows: Row[] = []
  for (const line of text.slice(start, end < 0 ? undefined : end).split('\n')) {
    if (!line.startsWith('| ') || line.startsWith('| ---') || line.startsWith('| command')) continue
    const [label = '', status = ''] = line
      .slice(1, -1)
      .split(/(?<!\\)\|/)
      .map((cell) => cell.trim().replaceAll('\\|', '|'))
    const tokens = [...label.matchAll(/`([^`]+)`/g)].map((match) => match[1] ?? '')
    rows.push({ label, tokens, status: status.split(/[\s:(]/)[0]?.toLowerCase() ?? '' })
  }
  return rows
}

function statusOf(rows: Row[], token: string, where?: (row: Row) => boolean): string | undefined {
  return rows.find((row) => (where ? where(row) : true) && row.tokens.includes(token))?.status
}

/** Text of a package's bundled JavaScript (the official clients' sources, as installed). */
function packageSource(name: string, file: (name: string) => boolean, under = ''): string {
  const dir = join(ROOT, 'node_modules', name, under)
  return readdirSync(dir, { recursive: true })
    .map(String)
    .filter(file)
    .map((entry) => readFileSync(join(dir, entry), 'utf8'))
    .join('\n')
}

describe('Upstash Redis', () => {
  const emulator = useRedisEmulator('support-matrix-token')
  const rows = () => matrix('Upstash Redis')
  const catalogue = commandCatalogue()
  const classified = (name: string) =>
    catalogue.has(name) || [...catalogue.keys()].some((key) => key.endsWith('*') && name.startsWith(key.slice(0, -1)))

  /** Command names `@upstash/redis` can send (the first word of every command it builds). */
  function sdkCommands(): Set<string> {
    const source = packageSource('@upstash/redis', (file) => /^chunk-.*\.mjs$/.test(file))
    const names = new Set<string>()
    for (const pattern of [/super\(\s*\[\s*"([A-Za-z.]+)"/g, /(?:command|cmd)\s*=\s*\[\s*"([A-Za-z.]+)"/g]) {
      for (const match of source.matchAll(pattern)) names.add((match[1] ?? '').toUpperCase())
    }
    return names
  }

  it('every catalogued command has a row with its status', () => {
    for (const [name, status] of catalogue) expect(statusOf(rows(), name), name).toBe(status)
  })

  it('every command the policy treats specially is catalogued, and every client command is classified', async () => {
    const redis = new Redis({ url: emulator().url, token: 'support-matrix-token', enableTelemetry: false })
    const redis7 = new Set((await redis.exec<string[]>(['COMMAND', 'LIST'])).map((name) => name.toUpperCase()))
    const sdk = sdkCommands()
    expect(sdk.size).toBeGreaterThan(150)
    for (const name of sdk) if (!redis7.has(name)) expect(classified(name), `${name} (not in Redis 7)`).toBe(true)

    // Argument shapes that reach each special case (self-COPY, WITHTYPE, NOACK, `~`, BITOP DIFF, BLOCK).
    const shapes: RedisArg[][] = [
      [],
      ['k', 'k'],
      ['0', 'WITHTYPE'],
      ['GROUP', 'g', 'c', 'NOACK', 'STREAMS', 's', '>'],
      ['k', 'MAXLEN', '~', '5'],
      ['DIFF', 'd', 'a', 'b'],
      ['BLOCK', '0', 'STREAMS', 's', '0'],
    ]
    const passedOn = (command: PreparedCommand, name: string, args: RedisArg[]) =>
      command.kind === 'send' && command.name === name && command.args === args
    for (const name of new Set([...redis7, ...sdk, ...catalogue.keys()])) {
      if (name.endsWith('*')) continue
      for (const fieldExpiryUsed of [false, true]) {
        for (const args of shapes) {
          const scripts = { registry: new ScriptRegistry(), loaded: new Set<string>(), fieldExpiryUsed }
          if (!passedOn(prepareCommand({ name, args }, scripts), name, args)) {
            expect(classified(name), `${name} ${args.join(' ')} is handled by the emulator`).toBe(true)
          }
        }
      }
    }
  })
})

describe('QStash', () => {
  let emulator: RunningQstashEmulator
  const token = 'support-matrix-qstash'
  beforeAll(async () => {
    emulator = await startQstashEmulator({
      token,
      currentSigningKey: 'sig_matrixCurrent123456789',
      nextSigningKey: 'sig_matrixNext987654321abc',
      tickMs: 1_000,
    })
  })
  afterAll(() => emulator?.close())

  /** `METHOD /v2/a/{x}` → comparable form with every parameter as `{}`. */
  const normal = (endpoint: string) => endpoint.replace(/\{[^}]*\}/g, '{}')
  const endpoints = QSTASH_ENDPOINTS.map(normal)

  function matches(pattern: string, method: string, path: string): boolean {
    const [patternMethod, patternPath = ''] = pattern.split(' ')
    if (patternMethod !== method) return false
    const want = patternPath.split('/').filter(Boolean)
    const got = path.split('/').filter(Boolean)
    const rest =
      want.at(-1) === '{}' && /\{destination\}$/.test(QSTASH_ENDPOINTS.find((e) => normal(e) === pattern) ?? '')
    if (rest ? got.length < want.length - 1 : got.length !== want.length) return false
    return want.every((segment, index) => segment === '{}' || segment === got[index])
  }

  /** Whether the router has a route for this request (any answer but its "no route" 404). */
  async function routed(method: string, path: string): Promise<boolean> {
    const res = await fetch(`${emulator.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}` },
      body: method === 'GET' ? undefined : '{}',
    })
    const text = await res.text()
    return !(res.status === 404 && text.includes('no route for'))
  }

  it('every endpoint has a "supported" row, and every "supported" row an endpoint', () => {
    const rows = matrix('QStash')
    for (const endpoint of QSTASH_ENDPOINTS) expect(statusOf(rows, endpoint), endpoint).toBe('supported')
    const documented = rows
      .filter((row) => row.status === 'supported')
      .flatMap((row) => row.tokens.filter((token) => /^[A-Z]+ \//.test(token)))
    for (const endpoint of documented) expect(endpoints, endpoint).toContain(normal(endpoint))
  })

  it('every endpoint @upstash/qstash calls is listed', () => {
    const source = packageSource('@upstash/qstash', (file) => /^chunk-.*\.mjs$/.test(file))
    const called = new Set<string>()
    for (const match of source.matchAll(/method:\s*"([A-Z]+)",\s*path:\s*\[([^\]]*)\]/g)) {
      const segments = (match[2] ?? '')
        .split(',')
        .map((part) => part.trim())
        .filter(Boolean)
        .map((part) => (/^"[^"]*"$/.test(part) ? part.slice(1, -1) : '{}'))
      called.add(`${match[1]} /${segments.join('/')}`)
    }
    expect(called.size).toBeGreaterThan(20)
    for (const endpoint of called) expect(endpoints, endpoint).toContain(endpoint)
  })

  it('the router serves exactly the listed endpoints', async () => {
    for (const endpoint of QSTASH_ENDPOINTS) {
      const [method = '', path = ''] = endpoint.split(' ')
      expect(await routed(method, path.replace(/\{[^}]*\}/g, 'x')), endpoint).toBe(true)
    }
    // Each resource the list names (and a few it does not) with its own actions and an unknown one.
    const resources = new Set(endpoints.map((e) => e.split('/')[2] ?? ''))
    for (const extra of ['llm', 'workflows', 'notify', 'users']) resources.add(extra)
    const probes: Array<[string, string]> = []
    for (const resource of resources) {
      const own = endpoints.filter((e) => e.split('/')[2] === resource).flatMap((e) => e.split('/').slice(3))
      const actions = new Set([...own.filter((s) => s !== '{}'), 'x'])
      const paths = [`/v2/${resource}`, `/v2/${resource}/x`]
      for (const action of actions) paths.push(`/v2/${resource}/x/${action}`, `/v2/${resource}/${action}`)
      for (const method of ['GET', 'POST', 'PATCH', 'DELETE']) for (const path of paths) probes.push([method, path])
    }
    // In parallel batches: a thousand-odd local requests one by one would take seconds.
    for (let index = 0; index < probes.length; index += 100) {
      const batch = probes.slice(index, index + 100)
      const served = await Promise.all(batch.map(([method, path]) => routed(method, path)))
      batch.forEach(([method, path], i) => {
        if (!served[i]) return
        expect(
          endpoints.some((pattern) => matches(pattern, method, path)),
          `${method} ${path} is served`,
        ).toBe(true)
      })
    }
  })
})

describe('libSQL', () => {
  let emulator: RunningLibsqlEmulator
  beforeAll(async () => {
    emulator = await startLibsqlEmulator({ memory: true })
  })
  afterAll(() => emulator?.close())

  async function post(path: string, body: unknown): Promise<Response> {
    return fetch(`${emulator.url}${path}`, { method: 'POST', body: JSON.stringify(body) })
  }

  it('the HTTP endpoints served are exactly the "supported" rows', async () => {
    const rows = matrix('libSQL')
    const versions = ['v1', 'v2', 'v3', 'v3-protobuf']
    const paths = [
      '/',
      '/health',
      ...versions.flatMap((v) => [`/${v}`, ...['pipeline', 'cursor', 'execute', 'batch'].map((a) => `/${v}/${a}`)]),
    ]
    for (const method of ['GET', 'POST']) {
      for (const path of paths) {
        const res = await fetch(`${emulator.url}${path}`, {
          method,
          body: method === 'POST' ? '{"baton":null,"requests":[],"batch":{"steps":[]}}' : undefined,
        })
        await res.arrayBuffer()
        const served = res.status !== 404 && res.status !== 405
        const status = statusOf(rows, `${method} ${path}`)
        expect(status === 'supported', `${method} ${path} (HTTP ${res.status}, row: ${status ?? 'none'})`).toBe(served)
      }
    }
  })

  it('the Hrana stream requests and batch conditions accepted are exactly the "supported" rows', async () => {
    const rows = matrix('libSQL')
    const source = packageSource('@libsql/hrana-client', (file) => file.endsWith('.js'), 'lib-esm')
    const literals = new Set([...source.matchAll(/type: "([a-z_]+)"/g)].map((match) => match[1] ?? ''))
    const requestRow = (row: Row) => row.label.includes('stream request')
    const conditionRow = (row: Row) => row.label.includes('batch condition')
    for (const type of new Set([...literals, ...rows.filter(requestRow).flatMap((row) => row.tokens)])) {
      const res = await post('/v3/pipeline', { baton: null, requests: [{ type }] })
      const accepted = !(await res.text()).includes('not a known request type')
      expect(statusOf(rows, type, requestRow) === 'supported', `request ${type}`).toBe(accepted)
    }
    for (const type of new Set([...literals, ...rows.filter(conditionRow).flatMap((row) => row.tokens)])) {
      const step = { stmt: { sql: 'SELECT 1' }, condition: { type, step: 0, cond: { type: 'ok', step: 0 }, conds: [] } }
      const res = await post('/v3/pipeline', { baton: null, requests: [{ type: 'batch', batch: { steps: [step] } }] })
      const accepted = !(await res.text()).includes('not a known condition')
      expect(statusOf(rows, type, conditionRow) === 'supported', `condition ${type}`).toBe(accepted)
    }
  })
})
