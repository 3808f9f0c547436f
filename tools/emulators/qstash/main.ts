/**
 * Runs the QStash emulator from the command line:
 *
 *   npx tsx tools/emulators/qstash/main.ts --port 0 --db .data/qstash.db
 *
 * Flags: --host, --port (0 = free port), --db (file or :memory:), --time-scale, --cron-time-scale,
 * --tick-ms, --token, --current-signing-key, --next-signing-key. Token and keys default to the env vars
 * QSTASH_TOKEN / QSTASH_CURRENT_SIGNING_KEY / QSTASH_NEXT_SIGNING_KEY, then to the QStash dev-server
 * test credentials. Prints `QSTASH_URL=…` once listening; SIGINT/SIGTERM stop the loop and close the DB.
 */
import { parseArgs } from 'node:util'
import { startQstashEmulator } from './index'

/** The credentials of QStash's own local dev server, so existing `.env` files work unchanged. */
const DEV_DEFAULTS = {
  token: 'eyJVc2VySUQiOiJkZWZhdWx0VXNlciIsIlBhc3N3b3JkIjoiZGVmYXVsdFBhc3N3b3JkIn0=',
  currentSigningKey: 'sig_7kYjw48mhY7kAjqNGcy6cr29RJ6r',
  nextSigningKey: 'sig_5ZB6DVzB1wjE8S6rZ7eenA8Pdnhs',
}

function numberFlag(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined
  const parsed = Number(value)
  if (!Number.isFinite(parsed)) throw new Error(`--${name} must be a number`)
  return parsed
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      host: { type: 'string' },
      port: { type: 'string', default: '0' },
      db: { type: 'string', default: '.data/qstash.db' },
      'time-scale': { type: 'string' },
      'cron-time-scale': { type: 'string' },
      'tick-ms': { type: 'string' },
      token: { type: 'string' },
      'current-signing-key': { type: 'string' },
      'next-signing-key': { type: 'string' },
    },
    strict: true,
  })
  const env = process.env
  const emulator = await startQstashEmulator({
    host: values.host,
    port: numberFlag('port', values.port),
    dbPath: values.db,
    timeScale: numberFlag('time-scale', values['time-scale']),
    cronTimeScale: numberFlag('cron-time-scale', values['cron-time-scale']),
    tickMs: numberFlag('tick-ms', values['tick-ms']),
    token: values.token ?? env.QSTASH_TOKEN ?? DEV_DEFAULTS.token,
    currentSigningKey:
      values['current-signing-key'] ?? env.QSTASH_CURRENT_SIGNING_KEY ?? DEV_DEFAULTS.currentSigningKey,
    nextSigningKey: values['next-signing-key'] ?? env.QSTASH_NEXT_SIGNING_KEY ?? DEV_DEFAULTS.nextSigningKey,
  })
  console.log(`QStash emulator listening on ${emulator.url} (db: ${values.db})`)
  console.log(`QSTASH_URL=${emulator.url}`)

  let stopping = false
  const stop = (signal: string) => {
    if (stopping) return
    stopping = true
    console.log(`QStash emulator: ${signal}, stopping`)
    emulator.close().then(
      () => process.exit(0),
      (err: unknown) => {
        console.error(err)
        process.exit(1)
      },
    )
  }
  process.on('SIGINT', () => stop('SIGINT'))
  process.on('SIGTERM', () => stop('SIGTERM'))
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err)
  process.exit(1)
})
