/**
 * What the Node, Bun and Deno entries share (docs/hosts.md): the same `createApp()` as the Worker, configuration from
 * the process environment over an optional `.dev.vars`-style file, checked through the same schema at start, `public/`
 * served as Workers Static Assets serves it, cron expressions fired by an in-process timer, and a `waitUntil` whose
 * promises are awaited before the process exits. Only `node:` modules Bun and Deno also provide are used here; each
 * entry (./node.ts, ./bun.ts, ./deno.ts) adds its own server.
 */
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import process from 'node:process'
import { Cron } from 'croner'
import { type Config, ConfigError, loadConfig } from '../core/config'
import { type EnvVars, parseEnvFile } from '../core/env-file'
import { createLogger, describeError, type Logger } from '../core/logging'
import type { ServiceFactories } from '../infra/services'
import type { HostName } from './host-name'
import { staticAssets } from './static-assets'
import { clientAddress, parseTrustedProxies, type TrustedProxies } from './trusted-proxies'

export interface HostOptions {
  name: HostName
  /** How this host builds its clients where it differs from Workers (Node: the undici pool). */
  services?: ServiceFactories
}

/** The part of Workers' `ExecutionContext` the app uses. */
interface ExecutionContext {
  waitUntil(promise: Promise<unknown>): void
  passThroughOnException(): void
  props: Record<string, unknown>
}

export interface Host {
  name: HostName
  config: Config
  logger: Logger
  port: number
  hostname: string
  /** The cron expressions this process fires (app/scheduled.ts; none with `STRATUM_CRON=off`). */
  schedules: readonly string[]
  /**
   * One request; `clientIp` is the socket's peer address. It becomes `CF-Connecting-IP`, as Cloudflare sets it — or,
   * when the peer is one of `TRUSTED_PROXIES`, the client address the proxies forwarded (./trusted-proxies.ts).
   */
  fetch(request: Request, clientIp: string | undefined): Promise<Response>
  /** Stops the cron timers and waits (at most `timeoutMs`) for the background work still pending. */
  shutdown(timeoutMs?: number): Promise<void>
}

/**
 * The env file: `--env-file <path>` on the command line, else `STRATUM_ENV_FILE`, else `.dev.vars` in the working
 * directory when it exists (what `npm run dev` writes). Missing named files are an error; a missing default is not.
 */
function envFile(argv: readonly string[], env: NodeJS.ProcessEnv): EnvVars {
  const flag = argv.indexOf('--env-file')
  const named = (flag >= 0 ? argv[flag + 1] : undefined) ?? env.STRATUM_ENV_FILE
  const path = named ?? '.dev.vars'
  if (!existsSync(path)) {
    if (named) throw new ConfigError([`env file ${named}: not found`])
    return {}
  }
  return parseEnvFile(readFileSync(path, 'utf8'))
}

/** Where `public/` is: `STRATUM_PUBLIC_DIR`, else `public/` in the working directory (the project root, the image's). */
const publicDir = (env: NodeJS.ProcessEnv) => env.STRATUM_PUBLIC_DIR ?? join(process.cwd(), 'public')

/**
 * Builds the host, or throws `ConfigError` with the same one message listing every bad key as a Worker would answer
 * with (core/config.ts), plus the host's own `TRUSTED_PROXIES`. The environment wins over the file, as it does for
 * `npm run dev`. The app is loaded only once the config passed, so a bad one fails in a moment rather than after
 * loading every module.
 */
export async function createHost(options: HostOptions): Promise<Host> {
  const fileVars = envFile(process.argv, process.env)
  const assets = staticAssets(publicDir(process.env))
  // One object for the life of the process: config is parsed once per env object (core/config.ts).
  const env: Record<string, unknown> = {
    ...fileVars,
    ...process.env,
    ASSETS: assets,
    STRATUM_HOST: options.name,
  }
  const { config, proxies } = hostConfig(env)
  const logger = createLogger({ host: options.name }, config.LOG_LEVEL)
  const [{ createApp }, { runScheduled, scheduledJobs }] = await Promise.all([
    import('../app/app'),
    import('../app/scheduled'),
  ])
  const app = createApp({ services: options.services })
  const pending = new Set<Promise<unknown>>()

  const keep = (work: Promise<unknown>, what: string) => {
    const settled = work
      .catch((err: unknown) => logger.error('background work failed', { what, ...describeError(err) }))
      .finally(() => pending.delete(settled))
    pending.add(settled)
  }
  const context = (): ExecutionContext => ({
    waitUntil: (promise) => keep(promise, 'waitUntil'),
    passThroughOnException: () => undefined,
    props: {},
  })
  const crons =
    process.env.STRATUM_CRON === 'off'
      ? []
      : Object.keys(scheduledJobs).map((expression) =>
          cronTimer(expression, logger, (time) => keep(runScheduled(expression, time, env), `cron ${expression}`)),
        )

  return {
    name: options.name,
    config,
    logger,
    port: Number(process.env.PORT ?? 8787),
    hostname: process.env.HOST ?? '0.0.0.0',
    schedules: crons.map((cron) => cron.getPattern() ?? ''),
    fetch: async (request, clientIp) => {
      const path = new URL(request.url).pathname
      if ((request.method === 'GET' || request.method === 'HEAD') && assets.serves(path)) return assets.fetch(request)
      const client = clientAddress(clientIp, () => request.headers.get('x-forwarded-for'), proxies)
      return app.fetch(withClientIp(request, client), env, context())
    },
    async shutdown(timeoutMs = 10_000) {
      for (const cron of crons) cron.stop()
      let timer: ReturnType<typeof setTimeout> | undefined
      const timeout = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, timeoutMs)
      })
      await Promise.race([Promise.allSettled([...pending]), timeout])
      clearTimeout(timer)
    },
  }
}

/** The app's config and the host's trusted proxies, or one `ConfigError` naming every bad key of both. */
function hostConfig(env: Record<string, unknown>): { config: Config; proxies: TrustedProxies } {
  const setting = env.TRUSTED_PROXIES
  const { proxies, problems } = parseTrustedProxies(typeof setting === 'string' ? setting : undefined)
  let config: Config | undefined
  try {
    config = loadConfig(env)
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err
    problems.unshift(...err.problems)
  }
  if (!config || problems.length) throw new ConfigError(problems)
  return { config, proxies }
}

/**
 * `CF-Connecting-IP` as Cloudflare sets it: the client address, overwriting whatever the client sent (the app trusts
 * only that header, http/client-info.ts): the socket's peer, or behind a trusted proxy the address it forwarded.
 */
function withClientIp(request: Request, clientIp: string | undefined): Request {
  const ip = clientIp?.replace(/^::ffff:/, '')
  try {
    // Node's and Bun's requests take the header in place: no copy of the request on the hot path.
    if (ip) request.headers.set('cf-connecting-ip', ip)
    else request.headers.delete('cf-connecting-ip')
    return request
  } catch {
    // Deno's are immutable (a TypeError): a copy with the header.
    const headers = new Headers(request.headers)
    if (ip) headers.set('cf-connecting-ip', ip)
    else headers.delete('cf-connecting-ip')
    return new Request(request, { headers })
  }
}

/**
 * One cron expression of the Worker's scheduler (app/scheduled.ts), fired by croner in UTC as Cloudflare fires cron
 * triggers; `fire` gets the tick, not the moment the callback ran (Workers' `scheduledTime`). Each tick runs in
 * `waitUntil`, so shutdown waits for it. `STRATUM_CRON=off` leaves timers off (e.g. all replicas but one; the
 * dispatcher submits each firing once anyway, domains/tasks/dispatcher.ts).
 */
export function cronTimer(expression: string, logger: Logger, fire: (time: Date) => void): Cron {
  return new Cron(expression, { timezone: 'UTC', catch: true }, (self: Cron) => {
    logger.debug('cron tick', { cron: expression })
    fire(self.currentRun() ?? new Date())
  })
}

/** Starts a host or exits 1 with the one configuration message (the same for every host). */
export async function startHost(
  options: HostOptions,
  serve: (host: Host) => { close(): Promise<void> | void },
): Promise<void> {
  let host: Host
  try {
    host = await createHost(options)
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err
    console.error(`stratum (${options.name}): ${err.message}`)
    process.exit(1)
  }
  const server = serve(host)
  host.logger.info('listening', { url: `http://${host.hostname}:${host.port}` })
  let stopping = false
  const stop = async (signal: string) => {
    if (stopping) return
    stopping = true
    host.logger.info('stopping', { signal })
    await server.close()
    await host.shutdown()
    process.exit(0)
  }
  process.on('SIGINT', () => void stop('SIGINT'))
  process.on('SIGTERM', () => void stop('SIGTERM'))
}
