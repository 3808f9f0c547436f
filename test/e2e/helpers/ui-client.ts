/**
 * The fba admin UI's HTTP side against a dev server, over real HTTP from the UI's origin: `api()` (the envelope, with
 * a token or cookie) and `uiLogin()` (captcha — its code read from Redis, as a person reads the picture — then
 * `POST /auth/login`).
 */
import { Redis } from '@upstash/redis'
import { expect } from 'vitest'
import type { DevServer } from './dev-server'

/** The admin UI's dev origin, allowed in wrangler.toml. */
export const UI_ORIGIN = 'http://localhost:5173'

export interface Envelope<T> {
  code: number
  msg: string
  data: T
}

export interface UiLogin {
  token: string
  sessionUuid: string
  /** The refresh cookie as the browser sends it back (`fba_refresh_token=…`). */
  cookie: string
  /** The refresh token itself. */
  refreshToken: string
}

export function uiClient(server: () => DevServer) {
  async function api<T>(path: string, init: RequestInit & { token?: string; cookie?: string } = {}) {
    const headers = new Headers(init.headers)
    headers.set('Origin', UI_ORIGIN)
    if (init.token) headers.set('Authorization', `Bearer ${init.token}`)
    if (init.cookie) headers.set('Cookie', init.cookie)
    if (init.body) headers.set('Content-Type', 'application/json')
    const res = await fetch(`${server().url}${path}`, { ...init, headers })
    return { res, body: (await res.json()) as Envelope<T> }
  }

  async function uiLogin(username: string): Promise<UiLogin> {
    const captcha = await api<{ is_enabled: boolean; uuid: string; image: string }>('/api/v1/auth/captcha')
    expect(captcha.res.status).toBe(200)
    expect(captcha.res.headers.get('access-control-allow-origin')).toBe(UI_ORIGIN)
    expect(captcha.body.data.is_enabled).toBe(true)
    const { vars } = server()
    const redis = new Redis({
      url: vars.UPSTASH_REDIS_REST_URL as string,
      token: vars.UPSTASH_REDIS_REST_TOKEN as string,
    })
    const code = await redis.get<string>(`stratum:captcha:${captcha.body.data.uuid}`)
    const login = await api<{ access_token: string; session_uuid: string; user: { username: string } }>(
      '/api/v1/auth/login',
      {
        method: 'POST',
        body: JSON.stringify({ username, password: '123456', uuid: captcha.body.data.uuid, captcha: String(code) }),
      },
    )
    expect(login.res.status, JSON.stringify(login.body)).toBe(200)
    expect(login.body.data.user.username).toBe(username)
    const cookie = cookieOf(login.res)
    return {
      token: login.body.data.access_token,
      sessionUuid: login.body.data.session_uuid,
      cookie,
      refreshToken: cookie.replace(/^fba_refresh_token=/, ''),
    }
  }

  return { api, uiLogin }
}

/** The refresh cookie a response sets, as the browser would send it back. */
export const cookieOf = (res: Response) =>
  /fba_refresh_token=[^;]+/.exec(res.headers.get('set-cookie') ?? '')?.[0] ?? ''
