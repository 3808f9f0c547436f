/**
 * The local cloud: redis-server plus the libSQL, Upstash Redis and QStash emulators, started together. Used by
 * `stratum dev` / `stratum emulators` (persistent, under `.data/`) and by the test global setup (in memory).
 * It returns the variables the official SDKs read, so pointing the app at real Turso/Upstash is only a change of
 * values.
 */
import { randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { startLibsqlEmulator } from '../../emulators/libsql/index'
import { startQstashEmulator } from '../../emulators/qstash/index'
import { startRedisEmulator } from '../../emulators/redis/index'
import type { RunningEmulator } from '../../emulators/shared/emulator'
import type { Vars } from './dev-vars'

export interface Credentials {
  jwtSecret: string
  passwordPepper: string
  redisToken: string
  qstashToken: string
  qstashCurrentSigningKey: string
  qstashNextSigningKey: string
}

export interface LocalStackOptions {
  /** Persist everything under this folder; omitted → in memory (tests). */
  dataDir?: string
  ports?: { libsql?: number; redis?: number; qstash?: number }
  /** QStash delay/backoff multiplier (1 = real QStash timing). */
  qstashTimeScale?: number
  /** Services whose variables are supplied from elsewhere (e.g. real Turso): not started. */
  skip?: ReadonlySet<'libsql' | 'redis' | 'qstash'>
  /** Called with each service's name as it comes up (progress output). */
  onStart?: (emulator: RunningEmulator) => void
}

export interface LocalStack {
  vars: Vars
  emulators: RunningEmulator[]
  stop(): Promise<void>
}

const token = (prefix: string) => `${prefix}${randomBytes(18).toString('base64url')}`

function newCredentials(): Credentials {
  return {
    jwtSecret: randomBytes(32).toString('base64url'),
    passwordPepper: randomBytes(24).toString('base64url'),
    redisToken: token('local_redis_'),
    qstashToken: token('local_qstash_'),
    qstashCurrentSigningKey: token('sig_'),
    qstashNextSigningKey: token('sig_'),
  }
}

/** Local credentials survive restarts (so a running `wrangler dev` and saved `.dev.vars` stay valid). */
export function loadCredentials(dataDir: string | undefined): Credentials {
  if (!dataDir) return newCredentials()
  const path = join(dataDir, 'credentials.json')
  // Keys added to Credentials later are filled in for data folders created before them.
  const created = {
    ...newCredentials(),
    ...(existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as Partial<Credentials>) : {}),
  }
  mkdirSync(dataDir, { recursive: true })
  writeFileSync(path, JSON.stringify(created, null, 2), { mode: 0o600 })
  return created
}

export async function startLocalStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  const { dataDir, ports = {}, skip = new Set() } = options
  const credentials = loadCredentials(dataDir)
  const emulators: RunningEmulator[] = []
  const vars: Vars = { JWT_SECRET: credentials.jwtSecret, PASSWORD_PEPPER: credentials.passwordPepper }
  const started = (emulator: RunningEmulator) => {
    emulators.push(emulator)
    options.onStart?.(emulator)
  }
  const stop = async () => {
    // Reverse order: nothing should deliver into a service that is already gone.
    for (const emulator of emulators.reverse()) await emulator.close().catch(() => undefined)
  }
  try {
    if (!skip.has('libsql')) {
      const libsql = await startLibsqlEmulator({
        port: ports.libsql,
        ...(dataDir ? { dataDir: join(dataDir, 'libsql') } : { memory: true }),
      })
      started(libsql)
      vars.TURSO_DATABASE_URL = libsql.databaseUrl()
      vars.TURSO_AUTH_TOKEN = ''
    }
    if (!skip.has('redis')) {
      const redis = await startRedisEmulator({
        port: ports.redis,
        token: credentials.redisToken,
        ...(dataDir ? { dataDir: join(dataDir, 'redis') } : {}),
      })
      started(redis)
      vars.UPSTASH_REDIS_REST_URL = redis.url
      vars.UPSTASH_REDIS_REST_TOKEN = credentials.redisToken
    }
    if (!skip.has('qstash')) {
      const qstash = await startQstashEmulator({
        port: ports.qstash,
        token: credentials.qstashToken,
        currentSigningKey: credentials.qstashCurrentSigningKey,
        nextSigningKey: credentials.qstashNextSigningKey,
        ...(dataDir ? { dbPath: join(dataDir, 'qstash.db') } : {}),
        ...(options.qstashTimeScale === undefined ? {} : { timeScale: options.qstashTimeScale }),
      })
      started(qstash)
      vars.QSTASH_URL = qstash.url
      vars.QSTASH_TOKEN = credentials.qstashToken
      vars.QSTASH_CURRENT_SIGNING_KEY = credentials.qstashCurrentSigningKey
      vars.QSTASH_NEXT_SIGNING_KEY = credentials.qstashNextSigningKey
    }
  } catch (err) {
    await stop()
    throw err
  }
  return { vars, emulators, stop }
}
