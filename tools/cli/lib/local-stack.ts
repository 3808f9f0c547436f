/**
 * The local cloud: redis-server plus the libSQL, Upstash Redis and QStash emulators. The test global setup starts
 * them together in its own process (in memory); `stratum dev` / `stratum emulators` start each in a process of its
 * own (./emulator-processes.ts, persistent under `.data/`) with `startService`.
 * It returns the variables the official SDKs read, so pointing the app at real Turso/Upstash is only a change of
 * values.
 */
import { randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
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
  ports?: Partial<Record<ServiceName, number>>
  /** QStash delay/backoff multiplier (1 = real QStash timing). */
  qstashTimeScale?: number
  /** Services whose variables are supplied from elsewhere (e.g. real Turso): not started. */
  skip?: ReadonlySet<ServiceName>
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
  const stored = existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as Partial<Credentials>) : {}
  const created = { ...newCredentials(), ...stored }
  // Written only when something is new, and atomically: every emulator process reads this file as it starts, all at
  // once under `npm run dev`, and must never see it half written.
  if (Object.keys(created).some((key) => !(key in stored))) {
    mkdirSync(dataDir, { recursive: true })
    const temp = `${path}.${process.pid}.tmp`
    writeFileSync(temp, JSON.stringify(created, null, 2), { mode: 0o600 })
    renameSync(temp, path)
  }
  return created
}

export type ServiceName = 'libsql' | 'redis' | 'qstash' | 'smtp' | 'oauth2'

/**
 * In start-up order: nothing should deliver into a service that is not up yet (QStash calls the others' users).
 * `smtp` and `oauth2` are the stand-ins for a mail server and for GitHub/Google sign-in (in memory, even in dev).
 */
export const SERVICES: readonly ServiceName[] = ['libsql', 'redis', 'qstash', 'smtp', 'oauth2']

/** The client id and secret the OAuth2 stand-in is used with (it accepts any; these only look like real ones). */
export const LOCAL_OAUTH2_CLIENT = { id: 'stratum-local', secret: 'stratum-local-secret' } as const

export interface ServiceOptions {
  /** Persist under this folder; omitted → in memory (tests). */
  dataDir?: string
  port?: number
  qstashTimeScale?: number
}

/** One running service and the variables the app reads to reach it. */
export interface StartedService {
  emulator: RunningEmulator
  vars: Vars
}

/**
 * Starts one emulator with the stack's credentials: what `startLocalStack` does per service, and what
 * `stratum emulators --only <name>` runs in a process of its own (../commands/emulators.ts).
 */
export async function startService(
  name: ServiceName,
  credentials: Credentials,
  options: ServiceOptions = {},
): Promise<StartedService> {
  const { dataDir, port } = options
  switch (name) {
    case 'libsql': {
      const libsql = await startLibsqlEmulator({
        port,
        ...(dataDir ? { dataDir: join(dataDir, 'libsql') } : { memory: true }),
      })
      return { emulator: libsql, vars: { TURSO_DATABASE_URL: libsql.databaseUrl(), TURSO_AUTH_TOKEN: '' } }
    }
    case 'redis': {
      const redis = await startRedisEmulator({
        port,
        token: credentials.redisToken,
        ...(dataDir ? { dataDir: join(dataDir, 'redis') } : {}),
      })
      return {
        emulator: redis,
        vars: { UPSTASH_REDIS_REST_URL: redis.url, UPSTASH_REDIS_REST_TOKEN: credentials.redisToken },
      }
    }
    case 'qstash': {
      const qstash = await startQstashEmulator({
        port,
        token: credentials.qstashToken,
        currentSigningKey: credentials.qstashCurrentSigningKey,
        nextSigningKey: credentials.qstashNextSigningKey,
        ...(dataDir ? { dbPath: join(dataDir, 'qstash.db') } : {}),
        ...(options.qstashTimeScale === undefined ? {} : { timeScale: options.qstashTimeScale }),
      })
      return {
        emulator: qstash,
        vars: {
          QSTASH_URL: qstash.url,
          QSTASH_TOKEN: credentials.qstashToken,
          QSTASH_CURRENT_SIGNING_KEY: credentials.qstashCurrentSigningKey,
          QSTASH_NEXT_SIGNING_KEY: credentials.qstashNextSigningKey,
        },
      }
    }
    // The stand-ins are imported when started: every emulator process loads this module, and need not load their
    // libraries (smtp-server, mailparser, oauth2-mock-server) to serve libSQL or Redis.
    case 'smtp': {
      const { startSmtpEmulator } = await import('../../emulators/smtp/index')
      const smtp = await startSmtpEmulator({ port })
      return {
        emulator: smtp,
        vars: {
          EMAIL_TRANSPORT: 'smtp',
          EMAIL_HOST: '127.0.0.1',
          EMAIL_PORT: String(smtp.smtpPort),
          EMAIL_SSL: 'false',
          // The stand-in offers AUTH and accepts any login; the Worker's worker-mailer refuses a server that offers
          // AUTH when it has no credentials, so it logs in as it would in production (also the mail's `From`).
          EMAIL_USERNAME: 'stratum@localhost',
          EMAIL_PASSWORD: 'local',
          // The seeded EMAIL config rows name a real mail server: locally, mail goes to the stand-in whatever they say.
          EMAIL_CONFIG_FROM_ENV: 'true',
        },
      }
    }
    case 'oauth2': {
      const { startOAuth2Emulator } = await import('../../emulators/oauth2/index')
      const oauth2 = await startOAuth2Emulator({ port })
      const { url } = oauth2
      const client = (provider: 'GITHUB' | 'GOOGLE') => ({
        [`OAUTH2_${provider}_CLIENT_ID`]: `${LOCAL_OAUTH2_CLIENT.id}-${provider.toLowerCase()}`,
        [`OAUTH2_${provider}_CLIENT_SECRET`]: LOCAL_OAUTH2_CLIENT.secret,
        [`OAUTH2_${provider}_AUTHORIZE_URL`]: `${url}/authorize`,
        [`OAUTH2_${provider}_TOKEN_URL`]: `${url}/token`,
      })
      return {
        emulator: oauth2,
        vars: {
          ...client('GITHUB'),
          OAUTH2_GITHUB_API_URL: url,
          ...client('GOOGLE'),
          OAUTH2_GOOGLE_USERINFO_URL: `${url}/userinfo`,
        },
      }
    }
  }
}

/** The secrets every local run shares (not a service's, so they are set whichever services run). */
export const stackSecrets = (credentials: Credentials): Vars => ({
  JWT_SECRET: credentials.jwtSecret,
  PASSWORD_PEPPER: credentials.passwordPepper,
})

/**
 * All services in this process (the test global setup: fast, in memory). `npm run dev` runs each in a process of
 * its own instead (./emulator-processes.ts), so one can be stopped and restarted alone.
 */
export async function startLocalStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  const { dataDir, ports = {}, skip = new Set() } = options
  const credentials = loadCredentials(dataDir)
  const emulators: RunningEmulator[] = []
  const vars: Vars = stackSecrets(credentials)
  const stop = async () => {
    // Reverse order: nothing should deliver into a service that is already gone.
    for (const emulator of emulators.reverse()) await emulator.close().catch(() => undefined)
  }
  try {
    for (const name of SERVICES) {
      if (skip.has(name)) continue
      const started = await startService(name, credentials, {
        dataDir,
        port: ports[name],
        qstashTimeScale: options.qstashTimeScale,
      })
      emulators.push(started.emulator)
      Object.assign(vars, started.vars)
      options.onStart?.(started.emulator)
    }
  } catch (err) {
    await stop()
    throw err
  }
  return { vars, emulators, stop }
}
