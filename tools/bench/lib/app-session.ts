/**
 * What a bench needs from the app before it measures: the seeded admin's token, the captcha switched off, users to
 * list. Shared by `npm run bench:workerd` and `npm run bench:profile`.
 */
import { createClient } from '@libsql/client'
import { Redis } from '@upstash/redis'
import type { RunningTarget } from './targets'

/**
 * The app's variables for a bench: production config (access lines off), the docs-UI login on (the bench signs in
 * through it), and the default per-IP limit ON with a limit one client never reaches.
 */
export function productionBenchVars(emulatorVars: Record<string, string>): Record<string, string> {
  return {
    ...emulatorVars,
    ENVIRONMENT: 'production',
    LOG_LEVEL: 'warn',
    SWAGGER_LOGIN_ENABLED: 'true',
    PUBLIC_URL: 'http://bench.local',
    RATE_LIMIT_DEFAULT: process.env.BENCH_RATE_LIMIT_DEFAULT ?? '100000000/60s',
  }
}

/** The seeded admin's access token, through the docs-UI login (captcha read from Redis, as a person reads it). */
export async function adminToken(app: RunningTarget, vars: Record<string, string>): Promise<string> {
  const captcha = (await (await fetch(`${app.url}/api/v1/auth/captcha`)).json()) as { data: { uuid: string } }
  const redis = new Redis({ url: vars.UPSTASH_REDIS_REST_URL ?? '', token: vars.UPSTASH_REDIS_REST_TOKEN ?? '' })
  const code = await redis.get<string>(`stratum:captcha:${captcha.data.uuid}`)
  const res = await fetch(
    `${app.url}/api/v1/auth/login/swagger?username=admin&password=123456&uuid=${captcha.data.uuid}&captcha=${code}`,
    { method: 'POST' },
  )
  const body = (await res.json()) as { access_token?: string }
  if (!body.access_token) throw new Error(`login failed: ${res.status} ${JSON.stringify(body)}`)
  return body.access_token
}

/**
 * Switches the login captcha off in the seeded settings (the config plugin's row wins over `LOGIN_CAPTCHA_ENABLED`),
 * before any app has read and cached them: the login scenario repeats one request, which a captcha would refuse.
 */
export async function captchaOff(vars: Record<string, string>): Promise<void> {
  const db = createClient({ url: vars.TURSO_DATABASE_URL ?? '', authToken: vars.TURSO_AUTH_TOKEN || undefined })
  try {
    await db.execute("UPDATE sys_config SET value = 'false' WHERE key = 'LOGIN_CAPTCHA_ENABLED'")
  } finally {
    db.close()
  }
}

/** Users the 20-row list pages through: the seed has two; the bench adds them through the API once (same database). */
const BENCH_USERS = 25

export async function seedUsers(app: RunningTarget, auth: Record<string, string>): Promise<void> {
  const listed = (await (await fetch(`${app.url}/api/v1/sys/users?page=1&size=1`, { headers: auth })).json()) as {
    data: { total: number }
  }
  for (let i = listed.data.total; i < BENCH_USERS; i++) {
    const res = await fetch(`${app.url}/api/v1/sys/users`, {
      method: 'POST',
      headers: { ...auth, 'Content-Type': 'application/json' },
      body: JSON.stringify({ username: `bench${i}`, password: 'Passw0rd1', dept_id: 1, roles: [1] }),
    })
    if (!res.ok) throw new Error(`creating bench user ${i}: ${res.status} ${await res.text()}`)
  }
}
