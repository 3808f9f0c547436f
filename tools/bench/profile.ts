/**
 * `npm run bench:profile` — where a request's CPU goes on workerd: the production bundle served by `workerd serve`
 * with its inspector open (as `npm run bench:workerd` serves it, the emulators beside it), V8's sampling profiler on
 * while autocannon loads one path, then the self time summed per source file (through the bundle's source map) and
 * per function. The raw profile is written for DevTools (Performance panel → load profile).
 *
 *   npm run bench:profile                                  # the 20-row user list, 8 s
 *   PROFILE_PATH=/api/v1/sys/users/me npm run bench:profile
 *   PROFILE_SECONDS=4 PROFILE_OUT=/tmp/list.cpuprofile npm run bench:profile
 *
 * Figures are proportions of the isolate's JavaScript time (workerd's own HTTP and I/O threads are not sampled).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { originalPositionFor, TraceMap } from '@jridgewell/trace-mapping'
import { PROJECT_ROOT } from '../cli/lib/paths'
import { adminToken, captchaOff, productionBenchVars, seedUsers } from './lib/app-session'
import { startEmulators } from './lib/emulators'
import { load } from './lib/load'
import { processCpuMs } from './lib/proc'
import { commandTarget, freePort } from './lib/targets'
import { buildWorkerdApp, serveConfig, workerdBinary } from './targets/workerd'

const PATH = process.env.PROFILE_PATH ?? '/api/v1/sys/users?page=1&size=20'
const SECONDS = Number(process.env.PROFILE_SECONDS ?? 8)
const OUT = process.env.PROFILE_OUT ?? join(tmpdir(), 'stratum-workerd.cpuprofile')
const TOP = Number(process.env.PROFILE_TOP ?? 30)

interface ProfileNode {
  id: number
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number }
  children?: number[]
}
interface Profile {
  nodes: ProfileNode[]
  samples: number[]
  timeDeltas: number[]
}

/** A DevTools protocol session over the inspector's WebSocket (Node 22's global WebSocket). */
async function inspect(
  port: number,
): Promise<{ send: (method: string, params?: object) => Promise<unknown>; close: () => void }> {
  const targets = (await (await fetch(`http://127.0.0.1:${port}/json`)).json()) as { webSocketDebuggerUrl: string }[]
  const url = targets[0]?.webSocketDebuggerUrl
  if (!url) throw new Error('workerd inspector lists no target')
  const socket = new WebSocket(url)
  await new Promise((resolve, reject) => {
    socket.onopen = resolve
    socket.onerror = reject
  })
  const pending = new Map<number, (result: unknown) => void>()
  let next = 1
  socket.onmessage = (event) => {
    const message = JSON.parse(String(event.data)) as { id?: number; result?: unknown }
    if (message.id !== undefined) pending.get(message.id)?.(message.result)
  }
  return {
    send: (method, params = {}) =>
      new Promise((resolve) => {
        const id = next++
        pending.set(id, resolve)
        socket.send(JSON.stringify({ id, method, params }))
      }),
    close: () => socket.close(),
  }
}

/** Self time (ms) per key, largest first. */
function selfTimes(profile: Profile, keyOf: (node: ProfileNode) => string): [string, number][] {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]))
  const totals = new Map<string, number>()
  profile.samples.forEach((id, i) => {
    const node = byId.get(id)
    if (!node) return
    const key = keyOf(node)
    totals.set(key, (totals.get(key) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000)
  })
  return [...totals].sort((a, b) => b[1] - a[1])
}

function print(title: string, rows: [string, number][], total: number): void {
  console.log(`\n${title}`)
  for (const [key, ms] of rows.slice(0, TOP)) console.log(`${((100 * ms) / total).toFixed(1).padStart(5)} %  ${key}`)
}

async function main(): Promise<void> {
  const workDir = mkdtempSync(join(tmpdir(), 'stratum-bench-profile-'))
  const emulators = await startEmulators()
  let stop = async () => {}
  try {
    const vars = productionBenchVars(emulators.vars)
    await captchaOff(vars)
    const bundle = buildWorkerdApp(workDir)
    const { config, port } = await serveConfig(bundle, vars)
    const inspectorPort = await freePort()
    const app = await commandTarget(
      port,
      workerdBinary(),
      ['serve', config, `--inspector-addr=127.0.0.1:${inspectorPort}`],
      {},
      bundle.dir,
    )
    stop = app.stop
    const auth = { Authorization: `Bearer ${await adminToken(app, vars)}` }
    await seedUsers(app, auth)
    await load(`${app.url}${PATH}`, 2, 8, auth) // warm-up: JIT, caches

    const inspector = await inspect(inspectorPort)
    await inspector.send('Profiler.enable')
    await inspector.send('Profiler.setSamplingInterval', { interval: 100 })
    await inspector.send('Profiler.start')
    const cpuBefore = { workerd: processCpuMs(app.pid) ?? 0, ...emulators.cpuMs() }
    const result = await load(`${app.url}${PATH}`, SECONDS, 8, auth)
    const cpuAfter = { workerd: processCpuMs(app.pid) ?? 0, ...emulators.cpuMs() }
    const { profile } = (await inspector.send('Profiler.stop')) as { profile: Profile }
    inspector.close()
    writeFileSync(OUT, JSON.stringify(profile))

    const map = new TraceMap(readFileSync(join(bundle.dir, 'dist', 'index.js.map'), 'utf8'))
    // Where a profile node's function is in our sources: looked up once per node (keys are read once per sample).
    const originals = new Map<number, ReturnType<typeof originalPositionFor> | undefined>()
    const originalOf = (node: ProfileNode) => {
      if (!originals.has(node.id)) {
        const { url, lineNumber, columnNumber } = node.callFrame
        originals.set(
          node.id,
          url ? originalPositionFor(map, { line: lineNumber + 1, column: columnNumber }) : undefined,
        )
      }
      return originals.get(node.id)
    }
    const sourceOf = (node: ProfileNode) => {
      const { url } = node.callFrame
      if (!url) return `(${node.callFrame.functionName || 'program'})`
      const source = originalOf(node)?.source
      if (!source) return url
      // Project files by their path in the project; a package's by `node_modules/<package>/…` (its own maps may point
      // into its sources, e.g. drizzle's `src/`).
      const modules = source.lastIndexOf('node_modules/')
      if (modules >= 0) return source.slice(modules)
      const root = source.indexOf(`${PROJECT_ROOT.slice(1)}/`)
      return root >= 0 ? source.slice(root + PROJECT_ROOT.length) : source
    }
    // The bundle drops function names (wrangler.toml keep_names = false): a function's own name comes from the map.
    const functionOf = (node: ProfileNode) => originalOf(node)?.name ?? (node.callFrame.functionName || '(anonymous)')
    const packageOf = (node: ProfileNode) => {
      const source = sourceOf(node)
      const pkg = /^node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(source)?.[1]
      return pkg ?? (source.startsWith('src/') ? source.split('/').slice(0, 3).join('/') : source)
    }
    const total = profile.timeDeltas.reduce((t, d) => t + d, 0) / 1000
    const idle = selfTimes(profile, (n) => n.callFrame.functionName || 'program')
      .filter(([k]) => k === '(idle)')
      .reduce((t, [, ms]) => t + ms, 0)
    const busy = total - idle
    console.log(
      `${PATH}: ${result.requests} requests in ${SECONDS} s; JavaScript busy ${busy.toFixed(0)} ms ` +
        `(${((busy / Math.max(1, result.requests)) * 1000).toFixed(0)} µs per request); profile: ${OUT}`,
    )
    const perRequest = (Object.keys(cpuAfter) as (keyof typeof cpuAfter)[]).map(
      (name) =>
        `${name} ${(((cpuAfter[name] ?? 0) - (cpuBefore[name] ?? 0)) / Math.max(1, result.requests)).toFixed(3)}`,
    )
    console.log(`process CPU ms per request (profiler on, so workerd's is inflated): ${perRequest.join(', ')}`)
    const withoutIdle = (rows: [string, number][]) => rows.filter(([k]) => !k.includes('(idle)'))
    print('by package or source folder (self time, % of busy)', withoutIdle(selfTimes(profile, packageOf)), busy)
    print('by source file', withoutIdle(selfTimes(profile, sourceOf)), busy)
    print('by function', withoutIdle(selfTimes(profile, (n) => `${functionOf(n)}  ${sourceOf(n)}`)), busy)
  } finally {
    await stop()
    await emulators.stop()
    rmSync(workDir, { recursive: true, force: true })
  }
}

await main()
