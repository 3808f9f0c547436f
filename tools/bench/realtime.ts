/**
 * Realtime in local dev (issue 16; method and results in docs/benchmarks.md, "Realtime"). `wrangler dev` runs the
 * Worker and its hub (a Durable Object in workerd) against the emulators (./lib/emulators.ts, migrated and seeded);
 * this process opens Socket.IO connections to `/ws/socket.io` as raw Engine.IO v4 frames (what socket.io-client
 * sends, without a client object per socket), each CONNECT authenticated as the seeded admin.
 *
 *   hold      N sockets connected at once, opened BENCH_RT_CONCURRENCY at a time → connects/s, all still open
 *   memory    workerd's resident memory (VmRSS of the process) before the sockets and with them → bytes per socket
 *   fan-out   a notice published through the API (`notice.published` → QStash → `notices.broadcast` → the hub's
 *             `emit(…, 'all')`), B times → from the API call to the last socket's frame, and from the first socket's
 *             frame to the last (the broadcast itself)
 *
 * `BENCH_RT_SOCKETS` (N, default 1000), `BENCH_RT_CONCURRENCY` (50), `BENCH_RT_BROADCASTS` (5); `BENCH_RT_CONNECT=0`
 * opens the sockets without a CONNECT (the WebSocket's own memory, without any login; the hub closes them after 45 s).
 */
import { spawn } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'
import { PROJECT_ROOT } from '../cli/lib/paths'
import { freePort } from '../emulators/shared/http'
import { startEmulators } from './lib/emulators'

const SOCKETS = Number(process.env.BENCH_RT_SOCKETS ?? 1000)
const CONCURRENCY = Number(process.env.BENCH_RT_CONCURRENCY ?? 50)
const BROADCASTS = Number(process.env.BENCH_RT_BROADCASTS ?? 5)

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** Resident memory of a process in bytes (`/proc/<pid>/status` VmRSS). */
function rssBytes(pid: number): number {
  const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]
  return Number(kb ?? 0) * 1024
}

/** The `workerd` processes below `root` (wrangler spawns it; found by walking /proc's parent links). */
function workerdPids(root: number): number[] {
  const parent = new Map<number, number>()
  const names = new Map<number, string>()
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry)
    if (!Number.isInteger(pid)) continue
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
      names.set(pid, stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')))
      parent.set(pid, Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]))
    } catch {
      // Gone meanwhile.
    }
  }
  const below = (pid: number): boolean => {
    for (let p = parent.get(pid); p !== undefined && p > 1; p = parent.get(p)) if (p === root) return true
    return false
  }
  return [...names].filter(([pid, name]) => name === 'workerd' && below(pid)).map(([pid]) => pid)
}

async function startWrangler(vars: Record<string, string>) {
  const port = await freePort()
  const inspectorPort = await freePort()
  const url = `http://127.0.0.1:${port}`
  const args = ['wrangler', 'dev', '--ip', '127.0.0.1', '--port', String(port)]
  args.push('--inspector-port', String(inspectorPort))
  for (const [key, value] of Object.entries({ ...vars, PUBLIC_URL: url })) args.push('--var', `${key}:${value}`)
  const child = spawn('npx', args, {
    cwd: PROJECT_ROOT,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, WRANGLER_SEND_METRICS: 'false', CLOUDFLARE_CF_FETCH_ENABLED: 'false' },
  })
  let output = ''
  child.stdout?.on('data', (d: Buffer) => {
    output += d.toString()
  })
  child.stderr?.on('data', (d: Buffer) => {
    output += d.toString()
  })
  const stop = async () => {
    if (child.exitCode !== null || child.pid === undefined) return
    const exited = new Promise((resolve) => child.once('exit', resolve))
    process.kill(-child.pid, 'SIGINT')
    await exited
  }
  for (let deadline = Date.now() + 120_000; ; ) {
    try {
      if ((await fetch(`${url}/api/v1/health/ping`)).ok) break
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) {
      await stop()
      throw new Error(`wrangler dev did not start:\n${output}`)
    }
    await sleep(300)
  }
  return { url, pid: child.pid as number, stop }
}

/** One Socket.IO connection as raw Engine.IO frames; answers the server's pings. */
class BenchSocket {
  readonly ws: WebSocket
  /** When the last `notice` event arrived (performance.now()). */
  noticeAt: number | undefined
  notices = 0

  private constructor(ws: WebSocket) {
    this.ws = ws
  }

  static open(url: string, auth: { token: string; session_uuid: string }): Promise<BenchSocket> {
    const ws = new WebSocket(`${url.replace('http', 'ws')}/ws/socket.io/?EIO=4&transport=websocket`)
    const socket = new BenchSocket(ws)
    return new Promise((resolve, reject) => {
      ws.addEventListener('error', () => reject(new Error('socket error')))
      ws.addEventListener('close', (event) => reject(new Error(`closed ${event.code} ${event.reason}`)))
      ws.addEventListener('message', (event) => {
        const frame = String(event.data)
        if (frame === '2') ws.send('3')
        else if (frame.startsWith('0{')) {
          if (process.env.BENCH_RT_CONNECT === '0') resolve(socket)
          else ws.send(`40${JSON.stringify(auth)}`)
        } else if (frame.startsWith('40{')) resolve(socket)
        else if (frame.startsWith('44')) reject(new Error(`refused: ${frame}`))
        else if (frame.startsWith('42["notice"')) {
          socket.noticeAt = performance.now()
          socket.notices++
        }
      })
    })
  }

  get open(): boolean {
    return this.ws.readyState === WebSocket.OPEN
  }
}

interface Envelope<T> {
  data: T
}

async function main() {
  const emulators = await startEmulators()
  const server = await startWrangler({ ...emulators.vars, ENVIRONMENT: 'development', LOG_LEVEL: 'warn' })
  const sockets: BenchSocket[] = []
  try {
    const api = async <T>(path: string, init: RequestInit & { token?: string } = {}) => {
      const headers = new Headers(init.headers)
      if (init.token) headers.set('Authorization', `Bearer ${init.token}`)
      if (init.body) headers.set('Content-Type', 'application/json')
      const res = await fetch(`${server.url}${path}`, { ...init, headers })
      return (await res.json()) as Envelope<T>
    }
    // The seeded config rows switch the captcha on: its code is read from Redis, as a person reads the picture.
    const captcha = await api<{ uuid: string }>('/api/v1/auth/captcha')
    const redisUrl = `${emulators.vars.UPSTASH_REDIS_REST_URL}/get/stratum:captcha:${captcha.data.uuid}`
    const code = (
      (await (
        await fetch(redisUrl, { headers: { Authorization: `Bearer ${emulators.vars.UPSTASH_REDIS_REST_TOKEN}` } })
      ).json()) as { result: string }
    ).result
    const login = await api<{ access_token: string; session_uuid: string }>('/api/v1/auth/login', {
      method: 'POST',
      body: JSON.stringify({ username: 'admin', password: '123456', uuid: captcha.data.uuid, captcha: String(code) }),
    })
    const auth = { token: login.data.access_token, session_uuid: login.data.session_uuid }
    const token = auth.token

    // One socket first: the hub exists and its code is loaded before the baseline is read.
    sockets.push(await BenchSocket.open(server.url, auth))
    await sleep(2000)
    const pids = workerdPids(server.pid)
    if (!pids.length) throw new Error('no workerd process found below wrangler')
    const rss = () => pids.reduce((sum, pid) => sum + rssBytes(pid), 0)
    const before = rss()
    const perProcessBefore = pids.map((pid) => `${(rssBytes(pid) / 2 ** 20).toFixed(0)}`)

    const started = performance.now()
    while (sockets.length < SOCKETS) {
      const batch = Math.min(CONCURRENCY, SOCKETS - sockets.length)
      sockets.push(...(await Promise.all(Array.from({ length: batch }, () => BenchSocket.open(server.url, auth)))))
    }
    const openMs = performance.now() - started
    await sleep(3000)
    const after = rss()
    const perProcess = pids
      .map((pid, i) => `${perProcessBefore[i]} → ${(rssBytes(pid) / 2 ** 20).toFixed(0)} MiB`)
      .join(', ')
    const stillOpen = sockets.filter((s) => s.open).length
    console.log(
      `hold: ${stillOpen}/${SOCKETS} sockets open; connected in ${(openMs / 1000).toFixed(1)} s ` +
        `(${Math.round((SOCKETS - 1) / (openMs / 1000))} connects/s, ${CONCURRENCY} at a time)`,
    )
    console.log(
      `memory: workerd RSS ${(before / 2 ** 20).toFixed(1)} MiB → ${(after / 2 ** 20).toFixed(1)} MiB; ` +
        `${((after - before) / (SOCKETS - 1) / 1024).toFixed(1)} KiB per socket (workerd processes: ${perProcess})`,
    )

    const spans: { total: number; spread: number }[] = []
    for (let i = 0; i < BROADCASTS; i++) {
      for (const s of sockets) s.noticeAt = undefined
      const t0 = performance.now()
      await api('/api/v1/sys/notices', {
        method: 'POST',
        token,
        body: JSON.stringify({ title: `bench ${i}`, type: 0, status: 1, content: 'bench' }),
      })
      const deadline = Date.now() + 30_000
      while (sockets.some((s) => s.noticeAt === undefined) && Date.now() < deadline) await sleep(5)
      const times = sockets.map((s) => s.noticeAt).filter((t): t is number => t !== undefined)
      if (times.length < sockets.length) throw new Error(`broadcast ${i}: ${times.length}/${sockets.length} received`)
      spans.push({ total: Math.max(...times) - t0, spread: Math.max(...times) - Math.min(...times) })
    }
    const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0
    console.log(
      `fan-out to ${sockets.length} sockets, ${BROADCASTS} broadcasts: first → last socket median ` +
        `${median(spans.map((s) => s.spread)).toFixed(1)} ms (max ${Math.max(...spans.map((s) => s.spread)).toFixed(1)}); ` +
        `API call → last socket median ${median(spans.map((s) => s.total)).toFixed(0)} ms ` +
        '(outbox → QStash emulator → consumer route → hub)',
    )
  } finally {
    for (const s of sockets) s.ws.close()
    await server.stop()
    await emulators.stop()
  }
}

main().catch((err: unknown) => {
  console.error(err)
  process.exitCode = 1
})
