/**
 * One black-box HTTP smoke suite, run against every host of the same app (docs/hosts.md): Workers (`npm run dev`,
 * wrangler dev), Node, Bun and Deno — all pointed at the same local emulators through the env file `npm run dev`
 * wrote. Each host is started once; the checks are the same for all: health, docs and static files, login with a
 * captcha, `/users/me` with its rate-limit headers, a permission denial, an email code over SMTP to the stand-in, a
 * CRUD round trip with a task QStash delivers back to that host, and (off Workers) realtime's documented 501. Bad
 * configuration stops every host at start with the same one message.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { request } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ConfigError, loadConfig } from '../../src/core/config'
import { parseTrustedProxies } from '../../src/hosts/trusted-proxies'
import { writeDevVars } from '../../tools/cli/lib/dev-vars'
import type { HostName } from '../../tools/hosts/runtimes'
import { devServerForFile } from './helpers/dev-server'
import { type RunningHost, runHostToExit, startHost } from './helpers/hosts'
import { UI_ORIGIN, uiClient } from './helpers/ui-client'

// Every host's requests come from 127.0.0.1 and share the limits' counters: room for four hosts' logins.
const dev = devServerForFile('stratum-hosts-', {
  RATE_LIMIT_LOGIN: '1000/60s',
  RATE_LIMIT_CAPTCHA: '1000/60s',
  RATE_LIMIT_DEFAULT: '5000/60s',
  RATE_LIMIT_EMAIL_CAPTCHA: '1000/60s',
})

const OTHER_HOSTS: HostName[] = ['node', 'bun', 'deno']
const dir = mkdtempSync(join(tmpdir(), 'stratum-hosts-env-'))
const envFile = join(dir, 'hosts.vars')
const running = new Map<string, RunningHost>()

beforeAll(async () => {
  // wrangler.toml's `[vars]` are the Worker's alone: other hosts take those settings from their env (docs/hosts.md).
  // The suite's requests come from 127.0.0.1, trusted as a proxy: a request without X-Forwarded-For still counts as
  // 127.0.0.1, one with it as the address forwarded.
  writeDevVars(envFile, { ...dev().vars, CORS_ALLOWED_ORIGINS: UI_ORIGIN, TRUSTED_PROXIES: '127.0.0.1' })
  // Side by side: each waits mostly for its own start-up.
  const started = await Promise.allSettled(OTHER_HOSTS.map((name) => startHost(name, envFile)))
  for (const result of started) if (result.status === 'fulfilled') running.set(result.value.name, result.value)
  const failed = started.find((r) => r.status === 'rejected')
  if (failed) throw failed.reason
})

afterAll(async () => {
  await Promise.all([...running.values()].map((host) => host.stop()))
  rmSync(dir, { recursive: true, force: true })
})

/** A WebSocket upgrade request (fetch refuses the `Upgrade` header): the answer's status and body. */
function upgradeRequest(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers: { Connection: 'Upgrade', Upgrade: 'websocket' } }, (res) => {
      let body = ''
      res.on('data', (chunk: Buffer) => {
        body += chunk.toString()
      })
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }))
    })
    req.on('error', reject)
    req.end()
  })
}

const urlOf = (host: string) => (host === 'workers' ? dev().url : (running.get(host)?.url ?? 'not started'))

interface Scheduler {
  id: number
  name: string
  enabled: boolean
  crontab: string
}
/** A message as the SMTP stand-in lists it (tools/emulators/smtp). */
interface ReceivedMail {
  to: string[]
  subject: string
  text: string
}
interface TaskResult {
  task_id: string
  status: string
  result: unknown
}

describe.each(['workers', ...OTHER_HOSTS])('the %s host', (host) => {
  const { api, uiLogin } = uiClient(() => ({ ...dev(), url: urlOf(host) }))

  it('answers health, the docs UI, its static files and the OpenAPI document', async () => {
    const health = await api<{ status: string }>('/api/v1/health')
    expect(health.res.status, JSON.stringify(health.body)).toBe(200)
    const docs = await fetch(`${urlOf(host)}/docs`)
    expect(docs.status).toBe(200)
    expect(await docs.text()).toContain('<title>Stratum API docs</title>')
    const script = await fetch(`${urlOf(host)}/vendor/scalar/standalone.esm.js`, { method: 'HEAD' })
    expect(script.status).toBe(200)
    expect(script.headers.get('content-type')).toMatch(/javascript/)
    // public/_headers applies to static files on every host.
    expect(script.headers.get('x-content-type-options')).toBe('nosniff')
    const openapi = await fetch(`${urlOf(host)}/api/v1/openapi.json`)
    expect(((await openapi.json()) as { openapi: string }).openapi).toMatch(/^3\./)
    // wrangler.toml `run_worker_first`: the app answers for plugin sources, never the file.
    const sources = await fetch(`${urlOf(host)}/_plugin-sources/notice.json`)
    expect(sources.status).toBe(404)
    await sources.arrayBuffer()
  })

  it('logs in with a captcha; /users/me carries the rate-limit headers; a missing permission is a 403', async () => {
    const admin = await uiLogin('admin')
    const me = await api<{ username: string }>('/api/v1/sys/users/me', { token: admin.token })
    expect(me.body.data.username).toBe('admin')
    expect(me.res.headers.get('access-control-allow-origin')).toBe(UI_ORIGIN)
    expect(me.res.headers.get('ratelimit-limit')).toBe('5000')
    expect(Number(me.res.headers.get('ratelimit-remaining'))).toBeLessThan(5000)
    // The server monitor's probe is the host's own (Workers, or `node:os` on Node, Bun and Deno).
    const server = await api<{ cpu: unknown }>('/api/v1/monitors/server', { token: admin.token })
    expect(server.res.status, JSON.stringify(server.body)).toBe(200)

    const test = await uiLogin('test')
    const denied = await api('/api/v1/schedulers', {
      method: 'POST',
      token: test.token,
      body: JSON.stringify({ name: `smoke ${host} denied`, task: 'task_demo', type: 1, crontab: '0 3 * * *' }),
    })
    expect(denied.res.status, JSON.stringify(denied.body)).toBe(403)
  })

  it('mails an email-change code over SMTP to the stand-in (worker-mailer on Workers, nodemailer elsewhere)', async () => {
    const { token } = await uiLogin('admin')
    const address = `smoke-${host}-${Date.now()}@example.com`
    const sent = await api('/api/v1/emails/captcha', {
      method: 'POST',
      token,
      body: JSON.stringify({ recipients: address }),
    })
    expect(sent.res.status, JSON.stringify(sent.body)).toBe(200)
    // The stand-in `npm run dev` started (its run record names its inbox), not the dev outbox: a real SMTP exchange.
    const { url: inbox } = JSON.parse(readFileSync(join(dev().dataDir, 'run', 'smtp.json'), 'utf8')) as { url: string }
    const mails = (await (await fetch(`${inbox}/messages?to=${encodeURIComponent(address)}`)).json()) as ReceivedMail[]
    expect(mails).toHaveLength(1)
    expect(mails[0]?.subject).toContain('Stratum')
    expect(mails[0]?.text).toMatch(/\b\d{6}\b/)
  })

  it('creates, reads, updates, runs (QStash → this host) and deletes a schedule', async () => {
    const { token } = await uiLogin('admin')
    const name = `smoke ${host} ${Date.now()}`
    const schedule = (crontab: string) =>
      JSON.stringify({
        name,
        task: 'task_demo_params',
        args: '["hello, "]',
        kwargs: `{"world": "${host}"}`,
        type: 1,
        crontab,
      })
    const created = await api('/api/v1/schedulers', { method: 'POST', token, body: schedule('0 3 * * *') })
    expect(created.res.status, JSON.stringify(created.body)).toBe(200)
    const page = await api<{ items: Scheduler[] }>(`/api/v1/schedulers?name=${encodeURIComponent(name)}`, { token })
    const id = page.body.data.items[0]?.id
    expect(page.body.data.items[0]).toMatchObject({ name, enabled: true })
    const updated = await api(`/api/v1/schedulers/${id}`, { method: 'PUT', token, body: schedule('0 4 * * *') })
    expect(updated.res.status, JSON.stringify(updated.body)).toBe(200)
    expect((await api<Scheduler>(`/api/v1/schedulers/${id}`, { token })).body.data.crontab).toBe('0 4 * * *')

    const run = await api<{ task_id: string }>(`/api/v1/schedulers/${id}/execute`, { method: 'POST', token })
    expect(run.res.status, JSON.stringify(run.body)).toBe(200)
    const taskId = run.body.data.task_id
    let result: TaskResult | undefined
    for (let i = 0; i < 150 && result?.status !== 'SUCCESS'; i++) {
      await new Promise((resolve) => setTimeout(resolve, 200))
      result = (await api<{ items: TaskResult[] }>(`/api/v1/task-results?task_id=${taskId}`, { token })).body.data
        .items[0]
    }
    expect(result).toMatchObject({ task_id: taskId, status: 'SUCCESS', result: `hello, ${host}` })

    // Every login so far (this host's earlier ones included) was recorded with the socket's address, which the host
    // passes as `CF-Connecting-IP` as Cloudflare does: never `unknown`.
    const logins = await api<{ items: { ip: string }[] }>('/api/v1/logs/login?username=admin&size=100', { token })
    expect(logins.body.data.items.length).toBeGreaterThan(0)
    expect(new Set(logins.body.data.items.map((log) => log.ip))).toEqual(new Set(['127.0.0.1']))

    const removed = await api(`/api/v1/schedulers/${id}`, { method: 'DELETE', token })
    expect(removed.res.status, JSON.stringify(removed.body)).toBe(200)
    expect((await api(`/api/v1/schedulers/${id}`, { token })).res.status).toBe(404)
  })

  it('counts a request behind a trusted proxy as the forwarded client (TRUSTED_PROXIES; never on Workers)', async () => {
    // Two clients the limits have not seen, each behind the proxy (127.0.0.1), with a spoofed entry to their left.
    const fresh = () => `198.18.${Math.floor(Math.random() * 256)}.${Math.floor(Math.random() * 256)}`
    const remaining = async () => {
      const { res } = await api('/api/v1/openapi.json', { headers: { 'X-Forwarded-For': `6.6.6.6, ${fresh()}` } })
      return Number(res.headers.get('ratelimit-remaining'))
    }
    const first = await remaining()
    const second = await remaining()
    if (host === 'workers') {
      // Cloudflare's CF-Connecting-IP only: both requests are the same client's, counted one after the other.
      expect(second).toBe(first - 1)
    } else {
      // Each is its first request in the window, in its own bucket.
      expect([first, second]).toEqual([4999, 4999])
    }
  })

  it.skipIf(host === 'workers')(
    'answers realtime with the documented 501 (no Durable Objects off Workers)',
    async () => {
      const { status, body } = await upgradeRequest(`${urlOf(host)}/ws/socket.io/?EIO=4&transport=websocket`)
      expect(status).toBe(501)
      expect(JSON.parse(body)).toMatchObject({ code: 501, data: { feature: 'realtime', host } })
    },
  )
})

/** What `loadConfig` (every host's, the Worker's too) throws for `env`. */
function configProblem(env: Record<string, string>): string {
  try {
    loadConfig(env)
  } catch (err) {
    if (err instanceof ConfigError) return err.message
    throw err
  }
  throw new Error('the configuration was accepted')
}

describe('bad configuration', () => {
  it('stops every non-Workers host at start with the same one message listing every bad key', async () => {
    const empty = join(dir, 'empty.vars')
    writeFileSync(empty, '')
    const bad = { LOG_LEVEL: 'loud', RATE_LIMIT_LOGIN: 'often', DB_TIMEOUT_MS: '0', TRUSTED_PROXIES: 'nginx' }
    const runs = await Promise.all(OTHER_HOSTS.map((name) => runHostToExit(name, empty, bad)))
    const messages = runs.map((run, i) => {
      expect(run.code, run.output).toBe(1)
      const line = run.output.split('\n').find((l) => l.startsWith(`stratum (${OTHER_HOSTS[i]}): `)) ?? run.output
      return line.replace(/^stratum \(\w+\): /, '')
    })
    for (const key of Object.keys(bad)) expect(messages[0]).toContain(`${key}: `)
    expect(new Set(messages).size).toBe(1)
    // The Worker's message for the same env (it answers its first request with it): the same config schema's, then
    // the hosts' own TRUSTED_PROXIES (a Worker never reads it).
    expect(messages[0]).toBe(`${configProblem(bad)}; ${parseTrustedProxies(bad.TRUSTED_PROXIES).problems.join('; ')}`)
  })
})
