/**
 * Throughput of the libSQL emulator through `@libsql/client` (one HTTP round trip per `execute`).
 *   npx tsx tools/bench/libsql.ts [--seconds 5] [--memory] [--workers 0]
 *
 * Starts the emulator in-process (file-backed in a temp dir unless --memory) and runs each scenario for a bounded
 * time: sequential and 8 concurrent clients, INSERT and SELECT by primary key, 10-statement batches.
 *
 * Two client set-ups, because the client is the expensive side: Node's global `fetch` (undici) costs roughly
 * 0.4–0.7 ms CPU per request, the emulator ~0.1 ms. Rows marked `node:http` pass the client's documented `fetch`
 * option a small keep-alive `node:http` fetch; they show what the emulator itself sustains. `--workers N` runs the
 * clients in N worker threads instead of the emulator's event loop (on 2 cores this rarely helps).
 */
import { mkdtemp, rm } from 'node:fs/promises'
import http from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads'
import { type Client, createClient } from '@libsql/client'
import { startLibsqlEmulator } from '../emulators/libsql/index.js'

const PREFILLED = 10_000

const CALLS = {
  insert: (client: Client, i: number) =>
    client.execute({ sql: 'INSERT INTO log (client, v) VALUES (?, ?)', args: [i % 8, `payload ${i}`] }),
  select: (client: Client, i: number) =>
    client.execute({ sql: 'SELECT id, v FROM kv WHERE id = ?', args: [(i % PREFILLED) + 1] }),
  batch: (client: Client, i: number) =>
    client.batch(
      Array.from({ length: 10 }, (_, k) => ({
        sql: 'SELECT id, v FROM kv WHERE id = ?',
        args: [((i * 10 + k) % PREFILLED) + 1],
      })),
      'read',
    ),
} as const

type CallName = keyof typeof CALLS
type FetchKind = 'global' | 'node:http'

interface Scenario {
  name: string
  clients: number
  /** User statements per call (a batch's BEGIN/COMMIT are not counted). */
  statementsPerCall: number
  call: CallName
  fetch: FetchKind
}

interface Job {
  url: string
  call: CallName
  fetch: FetchKind
  clients: number
  deadline: number
  offset: number
}

interface Row {
  scenario: string
  fetch: FetchKind
  clients: number
  calls: number
  'statements/s': number
  'p50 ms': number
  'p99 ms': number
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 64 })

/** A minimal `fetch` over `node:http` with keep-alive: enough for the Hrana client (POST JSON, read JSON). */
async function nodeHttpFetch(input: Request | string | URL, init?: RequestInit): Promise<Response> {
  const request = input instanceof Request ? input : new Request(input, init)
  const body = request.body === null ? undefined : Buffer.from(await request.arrayBuffer())
  const url = new URL(request.url)
  const headers: Record<string, string> = {}
  request.headers.forEach((value, key) => {
    headers[key] = value
  })
  if (body !== undefined) headers['content-length'] = String(body.length)
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: url.hostname, port: url.port, path: url.pathname + url.search, method: request.method, headers, agent },
      (res) => {
        const chunks: Buffer[] = []
        res.on('data', (chunk: Buffer) => chunks.push(chunk))
        res.on('end', () => {
          const responseHeaders = new Headers()
          for (const [key, value] of Object.entries(res.headers)) {
            if (typeof value === 'string') responseHeaders.set(key, value)
          }
          resolve(new Response(Buffer.concat(chunks), { status: res.statusCode ?? 500, headers: responseHeaders }))
        })
        res.on('error', reject)
      },
    )
    req.on('error', reject)
    req.end(body)
  })
}

/** Runs `clients` clients in a loop until the deadline and returns the call latencies (ms). */
async function runJob(job: Job): Promise<number[]> {
  const clients = Array.from({ length: job.clients }, () =>
    createClient({ url: job.url, fetch: job.fetch === 'node:http' ? nodeHttpFetch : undefined }),
  )
  const latencies: number[] = []
  let counter = job.offset
  await Promise.all(
    clients.map(async (client) => {
      while (Date.now() < job.deadline) {
        const t0 = performance.now()
        await CALLS[job.call](client, counter++)
        latencies.push(performance.now() - t0)
      }
    }),
  )
  for (const client of clients) client.close()
  return latencies
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))]!
}

function summarize(scenario: Scenario, latencies: number[], elapsed: number): Row {
  latencies.sort((a, b) => a - b)
  return {
    scenario: scenario.name,
    fetch: scenario.fetch,
    clients: scenario.clients,
    calls: latencies.length,
    'statements/s': Math.round((latencies.length * scenario.statementsPerCall) / elapsed),
    'p50 ms': Number(percentile(latencies, 50).toFixed(2)),
    'p99 ms': Number(percentile(latencies, 99).toFixed(2)),
  }
}

async function measure(url: string, scenario: Scenario, seconds: number, workers: number): Promise<Row> {
  const started = Date.now()
  const deadline = started + seconds * 1000
  const base = { url, call: scenario.call, fetch: scenario.fetch, deadline }
  if (workers === 0) {
    const latencies = await runJob({ ...base, clients: scenario.clients, offset: 0 })
    return summarize(scenario, latencies, (Date.now() - started) / 1000)
  }
  const threads = Math.min(workers, scenario.clients)
  const parts = await Promise.all(
    Array.from({ length: threads }, (_, w) => {
      const clients = Math.floor(scenario.clients / threads) + (w < scenario.clients % threads ? 1 : 0)
      const job: Job = { ...base, clients, offset: w * 1_000_000 }
      return new Promise<number[]>((resolve, reject) => {
        // Under tsx a worker inherits the loader flags, so it can load this very file.
        const worker = new Worker(new URL(import.meta.url), { workerData: job })
        worker.once('message', (latencies: number[]) => resolve(latencies))
        worker.once('error', reject)
      })
    }),
  )
  return summarize(scenario, parts.flat(), (Date.now() - started) / 1000)
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { seconds: { type: 'string' }, memory: { type: 'boolean' }, workers: { type: 'string' } },
  })
  const seconds = Number(values.seconds ?? 5)
  const workers = Number(values.workers ?? 0)
  const dir = values.memory ? null : await mkdtemp(join(tmpdir(), 'libsql-bench-'))
  const emu = await startLibsqlEmulator(dir === null ? { memory: true } : { dataDir: dir })
  const url = emu.databaseUrl('bench')
  try {
    const setup = createClient({ url })
    await setup.execute('CREATE TABLE kv (id INTEGER PRIMARY KEY, v TEXT NOT NULL)')
    await setup.execute('CREATE TABLE log (id INTEGER PRIMARY KEY, client INTEGER, v TEXT NOT NULL)')
    await setup.execute(
      `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${PREFILLED})
       INSERT INTO kv (id, v) SELECT i, 'value ' || i FROM n`,
    )
    setup.close()

    const scenarios: Scenario[] = [
      { name: 'INSERT, sequential', clients: 1, statementsPerCall: 1, call: 'insert', fetch: 'global' },
      { name: 'SELECT by pk, sequential', clients: 1, statementsPerCall: 1, call: 'select', fetch: 'global' },
      { name: 'INSERT, 8 clients', clients: 8, statementsPerCall: 1, call: 'insert', fetch: 'global' },
      { name: 'SELECT by pk, 8 clients', clients: 8, statementsPerCall: 1, call: 'select', fetch: 'global' },
      { name: 'batch of 10 SELECTs, 8 clients', clients: 8, statementsPerCall: 10, call: 'batch', fetch: 'global' },
      { name: 'INSERT, 8 clients', clients: 8, statementsPerCall: 1, call: 'insert', fetch: 'node:http' },
      { name: 'SELECT by pk, 8 clients', clients: 8, statementsPerCall: 1, call: 'select', fetch: 'node:http' },
    ]
    const rows: Row[] = []
    for (const scenario of scenarios) {
      rows.push(await measure(url, scenario, seconds, workers))
      console.log(`done: ${scenario.name} (${scenario.fetch} fetch)`)
    }
    const storage = dir === null ? 'in memory' : 'file-backed (WAL)'
    const where = workers === 0 ? 'clients in-process' : `clients in ${workers} worker thread(s)`
    console.log(`\nlibSQL emulator, ${storage}, ${seconds} s per scenario, ${where}`)
    console.table(rows)
  } finally {
    await emu.close()
    agent.destroy()
    if (dir !== null) await rm(dir, { recursive: true, force: true })
  }
}

if (isMainThread) {
  main().catch((err: unknown) => {
    console.error(err)
    process.exit(1)
  })
} else {
  runJob(workerData as Job).then(
    (latencies) => {
      parentPort!.postMessage(latencies)
      agent.destroy()
    },
    (err: unknown) => {
      throw err
    },
  )
}
