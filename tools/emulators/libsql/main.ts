/**
 * Runs the libSQL emulator on its own:
 *   npx tsx tools/emulators/libsql/main.ts --port 0 --data-dir .data/libsql
 * Options: --host H, --port N, --data-dir DIR, --memory, --auth-token T, --stream-idle-ms N, --busy-timeout-ms N.
 * Prints `libsql emulator listening on <url>` once ready; stops cleanly on SIGINT/SIGTERM.
 */
import { parseArgs } from 'node:util'
import { type LibsqlEmulatorOptions, startLibsqlEmulator } from './index.js'

function intOption(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined
  const n = Number(value)
  if (!Number.isInteger(n) || n < 0) throw new Error(`${flag} must be a non-negative integer, got ${value}`)
  return n
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      host: { type: 'string' },
      port: { type: 'string' },
      'data-dir': { type: 'string' },
      memory: { type: 'boolean' },
      'auth-token': { type: 'string' },
      'stream-idle-ms': { type: 'string' },
      'busy-timeout-ms': { type: 'string' },
    },
    strict: true,
  })
  const options: LibsqlEmulatorOptions = {
    host: values.host,
    port: intOption(values.port, '--port'),
    dataDir: values['data-dir'],
    memory: values.memory,
    authToken: values['auth-token'] ?? process.env.LIBSQL_AUTH_TOKEN,
    streamIdleMs: intOption(values['stream-idle-ms'], '--stream-idle-ms'),
    busyTimeoutMs: intOption(values['busy-timeout-ms'], '--busy-timeout-ms'),
  }
  const emulator = await startLibsqlEmulator(options)
  const storage = options.memory ? 'in memory' : `files in ${options.dataDir ?? '.data/libsql'}`
  console.log(`libsql emulator listening on ${emulator.url} (${storage})`)

  let stopping = false
  const stop = (signal: string) => {
    if (stopping) return
    stopping = true
    emulator.close().then(
      () => {
        console.log(`libsql emulator stopped (${signal})`)
        process.exit(0)
      },
      (err: unknown) => {
        console.error('libsql emulator failed to stop cleanly:', err)
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
