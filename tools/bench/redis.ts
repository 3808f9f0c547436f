/**
 * Throughput of the Upstash Redis emulator through `@upstash/redis` (HTTP → emulator → redis-server).
 *   npx tsx tools/bench/redis.ts [--seconds 5]
 * Starts the emulator in-process (spawning its own redis-server), then runs each scenario for a bounded time:
 * single commands with auto-pipelining off and on, and explicit pipelines of 100 commands.
 */
import { parseArgs } from 'node:util'
import { Redis } from '@upstash/redis'
import { startRedisEmulator } from '../emulators/redis/index'

interface Scenario {
  name: string
  /** Concurrent callers (each awaits its own call before the next). */
  callers: number
  autoPipelining: boolean
  /** Redis commands per call. */
  commandsPerCall: number
  call(redis: Redis, i: number): Promise<unknown>
}

interface Row {
  scenario: string
  callers: number
  'HTTP requests': number
  commands: number
  'commands/s': number
  'p50 ms': number
  'p99 ms': number
}

const KEYS = 1_000
const TOKEN = 'bench'

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))]!
}

async function requestCount(url: string, namespace: string): Promise<number> {
  const res = await fetch(`${url}/_emulator/stats`)
  const body = (await res.json()) as { namespaces: Record<string, { requests: number }> }
  return body.namespaces[namespace]?.requests ?? 0
}

async function measure(emulatorUrl: string, url: string, scenario: Scenario, seconds: number): Promise<Row> {
  const redis = new Redis({
    url,
    token: TOKEN,
    enableAutoPipelining: scenario.autoPipelining,
    enableTelemetry: false,
    retry: false,
  })
  await fetch(`${emulatorUrl}/_emulator/stats/reset`, { method: 'POST' })
  const latencies: number[] = []
  const deadline = performance.now() + seconds * 1000
  let counter = 0
  const started = performance.now()
  await Promise.all(
    Array.from({ length: scenario.callers }, async () => {
      while (performance.now() < deadline) {
        const t0 = performance.now()
        await scenario.call(redis, counter++)
        latencies.push(performance.now() - t0)
      }
    }),
  )
  const elapsed = (performance.now() - started) / 1000
  latencies.sort((a, b) => a - b)
  const commands = latencies.length * scenario.commandsPerCall
  return {
    scenario: scenario.name,
    callers: scenario.callers,
    'HTTP requests': await requestCount(emulatorUrl, 'bench'),
    commands,
    'commands/s': Math.round(commands / elapsed),
    'p50 ms': Number(percentile(latencies, 50).toFixed(2)),
    'p99 ms': Number(percentile(latencies, 99).toFixed(2)),
  }
}

const key = (i: number) => `key:${i % KEYS}`

function pipelineOf(size: number) {
  return (redis: Redis, i: number) => {
    const pipeline = redis.pipeline()
    for (let k = 0; k < size; k++) {
      if (k % 2 === 0) pipeline.get(key(i * size + k))
      else pipeline.incr(`counter:${(i * size + k) % KEYS}`)
    }
    return pipeline.exec()
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { seconds: { type: 'string' } } })
  const seconds = Number(values.seconds ?? 5)
  const emulator = await startRedisEmulator({ token: TOKEN })
  const url = emulator.namespaceUrl('bench')
  try {
    const setup = new Redis({ url, token: TOKEN, enableTelemetry: false })
    const fill = setup.pipeline()
    for (let i = 0; i < KEYS; i++) fill.set(key(i), `value ${i}`)
    await fill.exec()

    const get = (redis: Redis, i: number) => redis.get(key(i))
    const set = (redis: Redis, i: number) => redis.set(key(i), `value ${i}`)
    const getBurst = (size: number) => (redis: Redis, i: number) =>
      Promise.all(Array.from({ length: size }, (_, k) => redis.get(key(i * size + k))))
    const scenarios: Scenario[] = [
      { name: 'GET, auto-pipelining off', callers: 1, autoPipelining: false, commandsPerCall: 1, call: get },
      { name: 'SET, auto-pipelining off', callers: 1, autoPipelining: false, commandsPerCall: 1, call: set },
      { name: 'GET, auto-pipelining off', callers: 8, autoPipelining: false, commandsPerCall: 1, call: get },
      { name: 'GET, auto-pipelining on', callers: 1, autoPipelining: true, commandsPerCall: 1, call: get },
      { name: 'GET, auto-pipelining on', callers: 8, autoPipelining: true, commandsPerCall: 1, call: get },
      // 50 commands issued in one tick: the client batches them into one /pipeline request.
      {
        name: '50 GETs per tick, auto-pipelining on',
        callers: 1,
        autoPipelining: true,
        commandsPerCall: 50,
        call: getBurst(50),
      },
      {
        name: 'pipeline() of 100 (GET/INCR)',
        callers: 1,
        autoPipelining: false,
        commandsPerCall: 100,
        call: pipelineOf(100),
      },
      {
        name: 'pipeline() of 100 (GET/INCR)',
        callers: 4,
        autoPipelining: false,
        commandsPerCall: 100,
        call: pipelineOf(100),
      },
    ]
    const rows: Row[] = []
    for (const scenario of scenarios) {
      rows.push(await measure(emulator.url, url, scenario, seconds))
      console.log(`done: ${scenario.name} (${scenario.callers} caller${scenario.callers > 1 ? 's' : ''})`)
    }
    console.log(`\nUpstash Redis emulator via @upstash/redis, ${seconds} s per scenario`)
    console.table(rows)
  } finally {
    await emulator.close()
  }
}

main().catch((err: unknown) => {
  console.error(err)
  process.exit(1)
})
