/**
 * `npm run dev` end to end: from a clean data folder it brings up the emulators (the SMTP and OAuth2 stand-ins
 * included) and wrangler dev, the API answers with every dependency up, Ctrl-C (SIGINT) leaves no process behind, a restart keeps the data, and a setting in its
 * environment beats the seeded `config` row for that run.
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { connect } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createClient } from '@libsql/client'
import { afterAll, describe, expect, it } from 'vitest'
import { isAlive } from '../../../tools/cli/commands/emulators'
import { startDevServer } from '../../e2e/helpers/dev-server'
import { groupAlive } from '../../e2e/helpers/processes'

const dataDir = mkdtempSync(join(tmpdir(), 'stratum-dev-'))
afterAll(() => rmSync(dataDir, { recursive: true, force: true }))

/** Every descendant pid of `pid` (children, grandchildren…). */
function descendants(pid: number): number[] {
  let out = ''
  try {
    out = execFileSync('ps', ['-e', '-o', 'pid=,ppid='], { encoding: 'utf8' })
  } catch {
    return []
  }
  const children = new Map<number, number[]>()
  for (const line of out.trim().split('\n')) {
    const [child, parent] = line.trim().split(/\s+/).map(Number)
    if (child === undefined || parent === undefined) continue
    children.set(parent, [...(children.get(parent) ?? []), child])
  }
  const found: number[] = []
  const stack = [pid]
  while (stack.length) {
    for (const c of children.get(stack.pop() as number) ?? []) {
      found.push(c)
      stack.push(c)
    }
  }
  return found
}

const commandOf = (pid: number) => {
  try {
    return execFileSync('ps', ['-o', 'cmd=', '-p', String(pid)], { encoding: 'utf8' }).trim()
  } catch {
    return String(pid)
  }
}

const runDev = (env: Record<string, string> = {}) => startDevServer(dataDir, env)

/** The greeting of the SMTP server on `port` (its first line). */
function smtpBanner(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1')
    socket.setEncoding('utf8')
    socket.once('data', (line: string) => {
      socket.end('QUIT\r\n')
      resolve(line)
    })
    socket.once('error', reject)
  })
}

/** Whether the login asks for a captcha (`is_enabled` of `GET /auth/captcha`). */
const captchaOn = async (url: string) =>
  ((await (await fetch(`${url}/api/v1/auth/captcha`)).json()) as { data: { is_enabled: boolean } }).data.is_enabled

describe('npm run dev', () => {
  it('starts everything, stops cleanly, and keeps data across restarts', async () => {
    const first = await runDev()
    const health = (await (await fetch(`${first.url}/api/v1/health`)).json()) as {
      data: { checks: Record<string, { status: string }> }
    }
    expect(Object.values(health.data.checks).map((c) => c.status)).toEqual(['up', 'up', 'up'])
    expect(first.vars.TURSO_DATABASE_URL).toMatch(/^http:\/\/127\.0\.0\.1:\d+/)
    expect(first.vars.JWT_SECRET?.length).toBeGreaterThanOrEqual(32)
    expect((await fetch(`${first.url}/docs`)).status).toBe(200)
    expect(await captchaOn(first.url)).toBe(true) // the seeded `config` row
    // The stand-ins: mail goes to the local SMTP server, GitHub/Google sign-in to the local OAuth2 provider.
    const smtpPort = Number(first.vars.EMAIL_PORT)
    expect(first.vars).toMatchObject({
      EMAIL_TRANSPORT: 'smtp',
      EMAIL_HOST: '127.0.0.1',
      // A login: the Worker's SMTP client refuses a server that offers AUTH when it has no credentials.
      EMAIL_USERNAME: 'stratum@localhost',
      EMAIL_CONFIG_FROM_ENV: 'true',
    })
    expect(await smtpBanner(smtpPort)).toMatch(/^220 /)
    const oauth2 = (await (await fetch(`${first.url}/api/v1/oauth2/github`)).json()) as { data: string }
    expect(oauth2.data.startsWith(first.vars.OAUTH2_GITHUB_AUTHORIZE_URL as string)).toBe(true)
    const oauth2Port = Number(new URL(oauth2.data).port)
    expect((await fetch(`http://127.0.0.1:${oauth2Port}/.well-known/openid-configuration`)).status).toBe(200)

    const db = createClient({ url: first.vars.TURSO_DATABASE_URL as string })
    await db.execute('create table if not exists dev_probe (v text)')
    await db.execute({ sql: 'insert into dev_probe values (?)', args: ['kept'] })
    db.close()

    const pid = first.proc.child.pid as number
    const family = descendants(pid)
    expect(family.length).toBeGreaterThan(0) // redis-server, wrangler, workerd…
    await first.proc.stop()
    // Children may take a moment to finish exiting after their parent returned.
    for (let i = 0; i < 50 && family.some(isAlive); i++) await new Promise((r) => setTimeout(r, 200))
    expect(family.filter(isAlive).map(commandOf)).toEqual([])
    expect(groupAlive(pid)).toBe(false)
    expect(await smtpBanner(smtpPort).catch((err: NodeJS.ErrnoException) => err.code)).toBe('ECONNREFUSED')
    expect(await fetch(`http://127.0.0.1:${oauth2Port}/`).catch(() => 'refused')).toBe('refused')

    // A setting in the environment of `npm run dev` wins over the seeded row, for that run (README).
    const second = await runDev({ LOGIN_CAPTCHA_ENABLED: 'false' })
    expect(await captchaOn(second.url)).toBe(false)
    const db2 = createClient({ url: second.vars.TURSO_DATABASE_URL as string })
    const rows = await db2.execute('select v from dev_probe')
    db2.close()
    expect(rows.rows.map((r) => r.v)).toEqual(['kept'])
    expect(second.vars.JWT_SECRET).toBe(first.vars.JWT_SECRET)
    await second.proc.stop()
  }, 240_000)
})
