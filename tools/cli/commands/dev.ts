/**
 * `stratum dev` (npm run dev): local cloud + migrations + seed data + `wrangler dev` on 127.0.0.1:8787.
 * `stratum emulators` (npm run emulators): the same without the Worker. Every emulator runs in a child process of its
 * own, supervised here; `stratum emulators --only <name>` / `--stop <name>` run or stop one alone (./emulators.ts).
 *
 * Ports come from env (PORT, STRATUM_LIBSQL_PORT, STRATUM_REDIS_PORT, STRATUM_QSTASH_PORT, STRATUM_SMTP_PORT,
 * STRATUM_OAUTH2_PORT) or are picked free. A service whose variables are set in the environment (e.g.
 * TURSO_DATABASE_URL for real Turso, EMAIL_HOST for a real mail server) is not started.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { join } from 'node:path'
import { configSchema, SETTING_ENV_KEYS } from '../../../src/core/config'
import { EMAIL_ENV_KEYS } from '../../../src/plugins/email/settings'
import { OAUTH2_ENV_KEYS } from '../../../src/plugins/oauth2/settings'
import { freePort } from '../../emulators/shared/http'
import { startLocalWriter } from '../lib/codegen-writer'
import { mergeDevVars, readDevVars, settingsFromEnv, writeDevVars } from '../lib/dev-vars'
import { startEmulatorProcesses } from '../lib/emulator-processes'
import type { ServiceName } from '../lib/local-stack'
import { applyMigrations } from '../lib/migrate'
import { PROJECT_ROOT } from '../lib/paths'
import { onShutdown } from '../lib/signals'
import { seed } from './db'

const envPort = (name: string): number | undefined => {
  const value = process.env[name]
  return value ? Number(value) : undefined
}

export async function dev(options: { worker: boolean }): Promise<void> {
  const dataDir = process.env.STRATUM_DATA_DIR ?? join(PROJECT_ROOT, '.data')
  const devVarsPath = process.env.STRATUM_DEV_VARS ?? join(PROJECT_ROOT, '.dev.vars')
  const env = process.env
  const skip = new Set<ServiceName>()
  if (env.TURSO_DATABASE_URL) skip.add('libsql')
  if (env.UPSTASH_REDIS_REST_URL) skip.add('redis')
  if (env.QSTASH_URL || env.QSTASH_TOKEN) skip.add('qstash')
  if (env.EMAIL_HOST) skip.add('smtp')
  if (env.OAUTH2_GITHUB_CLIENT_ID || env.OAUTH2_GOOGLE_CLIENT_ID) skip.add('oauth2')

  // Each emulator in a process of its own (`stratum emulators --only <name>`): one can be stopped and restarted
  // alone, as in a real outage (README "Local development").
  const stack = await startEmulatorProcesses({
    dataDir,
    ports: {
      libsql: envPort('STRATUM_LIBSQL_PORT'),
      redis: envPort('STRATUM_REDIS_PORT'),
      qstash: envPort('STRATUM_QSTASH_PORT'),
      smtp: envPort('STRATUM_SMTP_PORT'),
      oauth2: envPort('STRATUM_OAUTH2_PORT'),
    },
    skip,
  })
  // The code generator's "write" button: the Worker has no file system, so this process writes for it (docs/codegen.md).
  const codeWriter = options.worker ? await startLocalWriter({ root: PROJECT_ROOT }) : undefined
  let worker: ChildProcess | undefined
  let indexWatch: { close(): void } | undefined
  const shutdown = onShutdown(async (signal) => {
    console.log(`stratum: ${signal}, stopping…`)
    await stopChild(worker)
    indexWatch?.close()
    await codeWriter?.close()
    await stack.stop()
  })

  const port = envPort('PORT') ?? 8787
  try {
    const vars = mergeDevVars(
      readDevVars(devVarsPath),
      // QStash (emulated or real) delivers tasks to this server (docs/tasks.md); an environment PUBLIC_URL wins, e.g.
      // a tunnel's address when real QStash must reach this machine.
      { ENVIRONMENT: 'development', ...stack.vars, ...codeWriter?.vars, PUBLIC_URL: `http://127.0.0.1:${port}` },
      env,
      [...Object.keys(configSchema.shape), ...EMAIL_ENV_KEYS, ...OAUTH2_ENV_KEYS],
    )
    // Settings set in this environment beat the seeded `config` rows for this run (README "Local development").
    vars.SETTINGS_FROM_ENV = settingsFromEnv(env, SETTING_ENV_KEYS)
    writeDevVars(devVarsPath, vars)
    console.log(`stratum: wrote ${devVarsPath}`)
    if (vars.TURSO_DATABASE_URL && (await applyMigrations(vars.TURSO_DATABASE_URL, vars.TURSO_AUTH_TOKEN))) {
      console.log('stratum: migrations applied')
      // Idempotent: a restart changes nothing; a fresh database gets admin/test (password 123456 in development).
      await seed({ settings: { ...env, ...vars } })
    }
  } catch (err) {
    console.error('stratum: start-up failed:', err)
    await shutdown('error', 1)
    return
  }

  if (!options.worker) {
    console.log('stratum: emulators running; Ctrl-C stops them')
    return
  }
  // The lazy routers' routes (docs/architecture.md, "Lazy routers"): fresh at start, and after every edit.
  const routeIndex = await import('../lib/route-index')
  if (await routeIndex.writeRouteIndex()) console.log('stratum: src/app/route-index.ts rewritten')
  indexWatch = routeIndex.watchRouteIndex()
  const args = ['dev', '--ip', '127.0.0.1', '--port', String(port), '--inspector-port', String(await freePort())]
  args.push('--test-scheduled', '--show-interactive-dev-session=false')
  // Local state of the Worker's bindings (the uploads bucket, the realtime hub's storage) beside the emulators' data,
  // so it survives restarts and `rm -rf .data` clears everything (docs/files.md).
  args.push('--persist-to', join(dataDir, 'wrangler'))
  if (env.STRATUM_DEV_VARS) args.push('--env-file', devVarsPath)
  worker = spawn(join(PROJECT_ROOT, 'node_modules', '.bin', 'wrangler'), args, {
    cwd: PROJECT_ROOT,
    stdio: 'inherit',
    // Own process group: a stop signal reaches wrangler and the workerd processes it starts.
    detached: true,
    env: { ...env, WRANGLER_SEND_METRICS: 'false', CLOUDFLARE_CF_FETCH_ENABLED: 'false' },
  })
  console.log(`stratum: api     http://127.0.0.1:${port}  (docs: http://127.0.0.1:${port}/docs)`)
  worker.once('exit', (code, signal) => {
    console.log(`stratum: wrangler exited (${code ?? signal ?? 'signal'})`)
    worker = undefined
    // After a stop signal this is a no-op (that shutdown already runs and exits 0); otherwise wrangler ended on its
    // own, and its failure is ours: `npm run dev` must not exit 0 when the API never came up or went down.
    void shutdown('wrangler exit', code === 0 ? 0 : (code ?? 1))
  })
  worker.once('error', (err) => {
    // Not started at all (e.g. node_modules without wrangler): no 'exit' follows.
    console.error(`stratum: wrangler failed to start: ${err.message}`)
    worker = undefined
    void shutdown('wrangler failed', 1)
  })
}

async function stopChild(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.pid === undefined) return
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const kill = (signal: NodeJS.Signals) => {
    try {
      process.kill(-(child.pid as number), signal)
    } catch {
      // already gone
    }
  }
  kill('SIGINT')
  const timer = setTimeout(() => kill('SIGKILL'), 10_000)
  await exited
  clearTimeout(timer)
}
