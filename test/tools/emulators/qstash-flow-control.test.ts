/**
 * QStash flow control on the emulator, through `@upstash/qstash`: `Upstash-Flow-Control-Key/Value` enforced
 * (parallelism, rate per period, pause), the management API (`client.flowControl`), the limits shown on messages,
 * DLQ entries and schedules, and garbage answered with a 400 that changes nothing (docs/emulators/qstash.md).
 */
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { Client } from '@upstash/qstash'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { type RunningQstashEmulator, startQstashEmulator } from '../../../tools/emulators/qstash/index'
import { expectLogs } from '../../helpers/logs'

const TOKEN = 'flow-control-token'

/** A destination that counts requests per path; `hold(path)` keeps that path's responses open until released. */
class Destination {
  readonly arrived = new Map<string, number>()
  readonly inFlight = new Map<string, number>()
  readonly maxInFlight = new Map<string, number>()
  private readonly held = new Map<string, Array<() => void>>()
  private readonly holding = new Set<string>()
  private server: Server | undefined
  base = ''

  async start(): Promise<void> {
    const server = createServer((req, res) => {
      const path = (req.url ?? '/').split('?')[0] ?? '/'
      req.resume()
      req.on('end', () => {
        this.arrived.set(path, this.count(path) + 1)
        const inFlight = (this.inFlight.get(path) ?? 0) + 1
        this.inFlight.set(path, inFlight)
        this.maxInFlight.set(path, Math.max(inFlight, this.maxInFlight.get(path) ?? 0))
        const answer = () => {
          this.inFlight.set(path, (this.inFlight.get(path) ?? 1) - 1)
          res.writeHead(path.startsWith('/fail') ? 500 : 200)
          res.end('ok')
        }
        if (this.holding.has(path)) this.held.set(path, [...(this.held.get(path) ?? []), answer])
        else answer()
      })
    })
    this.server = server
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    this.base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  }

  count(path: string): number {
    return this.arrived.get(path) ?? 0
  }

  hold(path: string): void {
    this.holding.add(path)
  }

  /** Answers the oldest held request of `path`; true if there was one. */
  releaseOne(path: string): boolean {
    const next = this.held.get(path)?.shift()
    next?.()
    return next !== undefined
  }

  url(path: string): string {
    return `${this.base}${path}`
  }

  async close(): Promise<void> {
    for (const answers of this.held.values()) for (const answer of answers) answer()
    this.server?.closeAllConnections()
    await new Promise<void>((resolve) => this.server?.close(() => resolve()))
  }
}

async function waitFor(check: () => boolean | Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 5_000
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}

let emulator: RunningQstashEmulator
let client: Client
const destination = new Destination()
let probes = 0

/** Publishes a message with no flow control and waits for it: the delivery loop has run since. */
async function loopHasRun(): Promise<void> {
  const path = `/probe/${++probes}`
  await client.publishJSON({ url: destination.url(path), body: {} })
  await waitFor(() => destination.count(path) === 1, 'an unrelated delivery')
}

function api(path: string, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers)
  headers.set('authorization', `Bearer ${TOKEN}`)
  return fetch(`${emulator.url}${path}`, { ...init, headers })
}

beforeAll(async () => {
  await destination.start()
  emulator = await startQstashEmulator({
    token: TOKEN,
    currentSigningKey: 'sig_flowCurrent1234567890',
    nextSigningKey: 'sig_flowNext0987654321abcd',
    // 1 QStash second = 1 real ms: the rate periods below are a day (86 s real), far longer than any test.
    timeScale: 0.001,
    tickMs: 10,
  })
  client = new Client({ baseUrl: emulator.url, token: TOKEN, retry: false })
})

afterAll(async () => {
  await destination.close()
  await emulator?.close()
})

beforeEach(() => {
  expectLogs(/^\[Upstash QStash\] [A-Z]+ \S+ failed with status 4\d\d$/)
})

describe('enforcement', () => {
  it('parallelism: at most n in flight per key, the rest wait while other messages flow', async () => {
    destination.hold('/parallel')
    for (let i = 0; i < 3; i++) {
      await client.publishJSON({
        url: destination.url('/parallel'),
        body: { i },
        flowControl: { key: 'par', parallelism: 1 },
      })
    }
    await waitFor(() => destination.count('/parallel') === 1, 'the first delivery')
    await loopHasRun()
    expect(destination.count('/parallel')).toBe(1)
    expect(await client.flowControl.get('par')).toMatchObject({
      flowControlKey: 'par',
      parallelismMax: 1,
      parallelismCount: 1,
      waitListSize: 2,
      rateMax: 0,
      isPaused: false,
    })
    const global = await client.flowControl.getGlobalParallelism()
    expect(global.parallelismMax).toBe(64)
    expect(global.parallelismCount).toBeGreaterThanOrEqual(1)
    for (let delivered = 1; delivered <= 3; delivered++) {
      await waitFor(() => destination.count('/parallel') === delivered, `delivery ${delivered}`)
      await waitFor(() => destination.releaseOne('/parallel'), `held request ${delivered}`)
    }
    expect(destination.maxInFlight.get('/parallel')).toBe(1)
    await waitFor(async () => (await client.flowControl.get('par')).parallelismCount === 0, 'the key to drain')
  })

  it('rate: at most n starts per period; resetRate starts a new period', async () => {
    for (let i = 0; i < 3; i++) {
      await client.publishJSON({
        url: destination.url('/rated'),
        body: { i },
        flowControl: { key: 'rated', rate: 1, period: '1d' },
      })
    }
    await waitFor(() => destination.count('/rated') === 1, 'the first delivery')
    await loopHasRun()
    expect(destination.count('/rated')).toBe(1)
    expect(await client.flowControl.get('rated')).toMatchObject({
      rateMax: 1,
      rateCount: 1,
      ratePeriod: 86_400,
      waitListSize: 2,
      parallelismMax: 0,
    })
    await client.flowControl.resetRate('rated')
    await waitFor(() => destination.count('/rated') === 2, 'the delivery after resetRate')
    await loopHasRun()
    expect(destination.count('/rated')).toBe(2)
  })

  it('pause holds a key (even ahead of its first message) until resume', async () => {
    await client.flowControl.pause('paused')
    expect(await client.flowControl.get('paused')).toMatchObject({ isPaused: true, waitListSize: 0 })
    await client.publishJSON({
      url: destination.url('/paused'),
      body: {},
      flowControl: { key: 'paused', parallelism: 5 },
    })
    await loopHasRun()
    expect(destination.count('/paused')).toBe(0)
    expect(await client.flowControl.get('paused')).toMatchObject({ isPaused: true, waitListSize: 1 })
    await client.flowControl.resume('paused')
    await waitFor(() => destination.count('/paused') === 1, 'the delivery after resume')
  })

  it('pin overrides the limits incoming messages ask for until unpinned', async () => {
    const publish = (parallelism: number) =>
      client.publishJSON({
        url: destination.url('/pinned'),
        body: {},
        delay: 60_000,
        flowControl: { key: 'pinned', parallelism, rate: 10 },
      })
    await publish(4)
    await client.flowControl.pin('pinned', { parallelism: 2, rate: 3, period: 60 })
    await publish(9)
    expect(await client.flowControl.get('pinned')).toMatchObject({
      parallelismMax: 2,
      rateMax: 3,
      ratePeriod: 60,
      isPinnedParallelism: true,
      isPinnedRate: true,
    })
    await client.flowControl.unpin('pinned', { parallelism: true })
    await publish(9)
    expect(await client.flowControl.get('pinned')).toMatchObject({
      parallelismMax: 9,
      rateMax: 3,
      isPinnedParallelism: false,
      isPinnedRate: true,
    })
    const all = (await (await api('/v2/flowControl')).json()) as Array<{ flowControlKey: string }>
    expect(all.map((entry) => entry.flowControlKey)).toEqual(expect.arrayContaining(['par', 'rated', 'pinned']))
    await client.messages.cancel({ filter: { flowControlKey: 'pinned' } })
  })
})

describe('limits on messages, DLQ entries and schedules', () => {
  const flowControl = { key: 'shown', parallelism: 2, rate: 5, period: '1m' } as const
  const limits = { flowControlKey: 'shown', parallelism: 2, rate: 5, ratePerSecond: 5, period: 60 }

  it('messages and DLQ entries', async () => {
    const { messageId } = await client.publishJSON({
      url: destination.url('/shown'),
      body: {},
      delay: 60_000,
      flowControl,
    })
    expect(await client.messages.get(messageId)).toMatchObject(limits)
    await client.messages.cancel(messageId)
    await client.publishJSON({ url: destination.url('/fail/shown'), body: {}, retries: 0, flowControl })
    await waitFor(
      async () => (await client.dlq.listMessages({ filter: { flowControlKey: 'shown' } })).messages.length === 1,
      'the DLQ entry',
    )
    const [entry] = (await client.dlq.listMessages({ filter: { flowControlKey: 'shown' } })).messages
    expect(entry).toMatchObject(limits)
    if (entry) await client.dlq.delete(entry.dlqId)
  })

  it('schedules', async () => {
    const { scheduleId } = await client.schedules.create({
      destination: destination.url('/scheduled'),
      cron: '0 0 1 1 *',
      flowControl,
    })
    expect(await client.schedules.get(scheduleId)).toMatchObject(limits)
    await client.schedules.delete(scheduleId)
  })
})

describe('garbage is a 400 and changes nothing', () => {
  it('malformed flow-control headers are refused at publish', async () => {
    const bad: Record<string, string>[] = [
      { 'Upstash-Flow-Control-Key': 'k' },
      { 'Upstash-Flow-Control-Value': 'parallelism=1' },
      { 'Upstash-Flow-Control-Key': 'k', 'Upstash-Flow-Control-Value': 'parallelism=0' },
      { 'Upstash-Flow-Control-Key': 'k', 'Upstash-Flow-Control-Value': 'rate=abc' },
      { 'Upstash-Flow-Control-Key': 'k', 'Upstash-Flow-Control-Value': 'rate=1, period=10y' },
      { 'Upstash-Flow-Control-Key': 'k', 'Upstash-Flow-Control-Value': 'period=1m' },
      { 'Upstash-Flow-Control-Key': 'k', 'Upstash-Flow-Control-Value': 'burst=3' },
      { 'Upstash-Flow-Control-Key': 'bad key!', 'Upstash-Flow-Control-Value': 'parallelism=1' },
    ]
    for (const headers of bad) {
      const res = await api(`/v2/publish/${destination.url('/never')}`, { method: 'POST', headers, body: '{}' })
      expect(res.status, JSON.stringify(headers)).toBe(400)
      expect(typeof ((await res.json()) as { error?: unknown }).error).toBe('string')
    }
    expect((await (await api('/v2/flowControl')).json()) as unknown[]).not.toContainEqual(
      expect.objectContaining({ flowControlKey: 'k' }),
    )
  })

  it('malformed management calls', async () => {
    await client.flowControl.pin('guarded', { parallelism: 3 })
    const before = await client.flowControl.get('guarded')
    for (const [path, expected] of [
      ['/v2/flowControl/guarded/pin?parallelism=abc', 400],
      ['/v2/flowControl/guarded/pin?parallelism=0', 400],
      ['/v2/flowControl/guarded/pin', 400],
      ['/v2/flowControl/guarded/pin?parallelism=2&burst=1', 400],
      ['/v2/flowControl/guarded/unpin?parallelism=maybe', 400],
      ['/v2/flowControl/guarded/unpin', 400],
      ['/v2/flowControl/guarded/pause?force=true', 400],
      ['/v2/flowControl/guarded/resetRate?x=', 400],
      ['/v2/flowControl/bad%20key/pause', 400],
      ['/v2/flowControl/guarded/explode', 404],
    ] as const) {
      const res = await api(path, { method: 'POST' })
      expect(res.status, path).toBe(expected)
    }
    expect(await client.flowControl.get('guarded')).toEqual(before)
    await expect(client.flowControl.get('never-seen')).rejects.toMatchObject({ status: 404 })
  })
})
