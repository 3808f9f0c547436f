/**
 * Runs the Upstash Redis emulator from the command line:
 *
 *   npx tsx tools/emulators/redis/main.ts --port 0 --token dev [--data-dir .stratum/redis] [--redis-url redis://…]
 *
 * Without --redis-url (or REDIS_URL) it spawns redis-server; Ctrl-C / SIGTERM stop both.
 */
import { parseArgs } from 'node:util'
import { startRedisEmulator } from './index'

const { values } = parseArgs({
  options: {
    host: { type: 'string', default: '127.0.0.1' },
    port: { type: 'string', default: '0' },
    token: { type: 'string', default: process.env.UPSTASH_REDIS_REST_TOKEN ?? 'dev' },
    'redis-url': { type: 'string', default: process.env.REDIS_URL },
    'data-dir': { type: 'string' },
  },
})

const port = Number(values.port)
if (!Number.isInteger(port) || port < 0 || port > 65_535) {
  console.error(`--port must be a port number, got ${values.port}`)
  process.exit(2)
}

try {
  const emulator = await startRedisEmulator({
    host: values.host,
    port,
    token: values.token,
    redisUrl: values['redis-url'] || undefined,
    dataDir: values['data-dir'],
  })
  console.log(`Upstash Redis emulator listening on ${emulator.url}`)
  console.log(`  UPSTASH_REDIS_REST_URL=${emulator.url}`)
  console.log(`  UPSTASH_REDIS_REST_TOKEN=${emulator.token}`)
  console.log(`  backed by ${emulator.redisUrl}; namespaces at ${emulator.url}/ns/<name>`)

  let stopping = false
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return
    stopping = true
    console.log(`${signal}: stopping the Redis emulator`)
    emulator.close().then(
      () => process.exit(0),
      (err: unknown) => {
        console.error(err)
        process.exit(1)
      },
    )
  }
  process.on('SIGINT', stop)
  process.on('SIGTERM', stop)
} catch (err) {
  console.error(err instanceof Error ? err.message : err)
  process.exit(1)
}
