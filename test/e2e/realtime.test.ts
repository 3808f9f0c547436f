/**
 * Realtime against `npm run dev`, with the official `socket.io-client` connecting exactly as fba's admin UI does
 * (path `/ws/socket.io`, websocket transport, `auth: {token, session_uuid}`, from the UI's origin): a valid login
 * connects and shows online in `/monitors/sessions`; a bad, expired, refresh-type or revoked token gets
 * `connect_error`; a task the user runs sends its `task_notification`s; a forced logout closes the socket within a
 * second; a disconnect shows the session offline. One dev server for the file.
 */
import { decodeJwt, SignJWT } from 'jose'
import { io, type Socket } from 'socket.io-client'
import { afterEach, describe, expect, it } from 'vitest'
import { devServerForFile } from './helpers/dev-server'
import { UI_ORIGIN, uiClient } from './helpers/ui-client'

const dev = devServerForFile('stratum-rt-')

const sockets: Socket[] = []
afterEach(() => {
  for (const socket of sockets.splice(0)) socket.disconnect()
})

const { api, uiLogin } = uiClient(dev)

/**
 * A client as the admin UI builds it (its store/websocket.ts); in Node the browser's `Origin` is set by hand. Refused
 * clients are built without reconnecting (`asTheUi: false`), so a test leaves no client retrying behind it.
 */
function uiSocket(auth: Record<string, unknown>, { asTheUi = false } = {}): Socket {
  const socket = io(dev().url, {
    path: '/ws/socket.io',
    transports: ['websocket'],
    auth,
    extraHeaders: { Origin: UI_ORIGIN },
    ...(asTheUi ? {} : { reconnection: false }),
  })
  sockets.push(socket)
  return socket
}

function connected(socket: Socket): Promise<void> {
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve())
    socket.once('connect_error', (err) => reject(err))
  })
}

/** The `connect_error` a refused socket gets: its message and `data`. */
function refused(socket: Socket): Promise<{ message: string; data: unknown }> {
  return new Promise((resolve, reject) => {
    socket.once('connect', () => reject(new Error('connected')))
    socket.once('connect_error', (err: Error & { data?: unknown }) => resolve({ message: err.message, data: err.data }))
  })
}

async function sessionStatus(token: string, sessionUuid: string): Promise<number | undefined> {
  const list = await api<{ session_uuid: string; status: number }[]>('/api/v1/monitors/sessions', { token })
  expect(list.res.status).toBe(200)
  return list.body.data.find((s) => s.session_uuid === sessionUuid)?.status
}

async function until(check: () => Promise<boolean>, what: string, ms = 5_000): Promise<void> {
  const deadline = Date.now() + ms
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

describe('socket.io-client as the admin UI uses it', () => {
  it('connects with a valid login; the session shows online, and offline after a disconnect', async () => {
    const admin = await uiLogin('admin')
    const socket = uiSocket({ token: admin.token, session_uuid: admin.sessionUuid }, { asTheUi: true })
    await connected(socket)
    expect(socket.connected).toBe(true)
    expect(await sessionStatus(admin.token, admin.sessionUuid)).toBe(1)

    socket.disconnect()
    await until(async () => (await sessionStatus(admin.token, admin.sessionUuid)) === 0, 'the session offline')
  })

  it('refuses a bad, an expired, a refresh-type and a revoked token with connect_error', async () => {
    const admin = await uiLogin('admin')
    const bad = await refused(uiSocket({ token: 'not-a-token', session_uuid: admin.sessionUuid }))
    expect(bad).toEqual({ message: 'Token is invalid', data: { code: 401 } })

    // The same claims as the real token, signed with the server's secret, but expired a minute ago.
    const claims = decodeJwt(admin.token)
    const past = Math.floor(Date.now() / 1000) - 60
    const expired = await new SignJWT({ sid: claims.sid })
      .setProtectedHeader({ alg: 'HS256', typ: 'at+jwt' })
      .setIssuer(String(claims.iss))
      .setAudience(claims.aud as string)
      .setSubject(String(claims.sub))
      .setJti(String(claims.jti))
      .setIssuedAt(past - 600)
      .setNotBefore(past - 600)
      .setExpirationTime(past)
      .sign(new TextEncoder().encode(dev().vars.JWT_SECRET as string))
    expect(await refused(uiSocket({ token: expired, session_uuid: admin.sessionUuid }))).toEqual({
      message: 'Token has expired',
      data: { code: 401 },
    })

    const refresh = await refused(uiSocket({ token: admin.refreshToken, session_uuid: admin.sessionUuid }))
    expect(refresh.data).toEqual({ code: 401 })

    const out = await api('/api/v1/auth/logout', { method: 'POST', token: admin.token })
    expect(out.res.status).toBe(200)
    const revoked = await refused(uiSocket({ token: admin.token, session_uuid: admin.sessionUuid }))
    expect(revoked.data).toEqual({ code: 401 })
  })

  it('receives the task_notifications of a task the user runs', async () => {
    const admin = await uiLogin('admin')
    const socket = uiSocket({ token: admin.token, session_uuid: admin.sessionUuid })
    const messages: string[] = []
    socket.on('task_notification', ({ msg }: { msg: string }) => messages.push(msg))
    await connected(socket)

    const schedules = await api<{ id: number; task: string }[]>('/api/v1/schedulers/all', { token: admin.token })
    const demo = schedules.body.data.find((s) => s.task === 'task_demo_params')
    const run = await api<{ task_id: string }>(`/api/v1/schedulers/${demo?.id}/execute`, {
      method: 'POST',
      token: admin.token,
    })
    expect(run.res.status, JSON.stringify(run.body)).toBe(200)
    const taskId = run.body.data.task_id
    // QStash (the emulator of `npm run dev`) delivers to the dev server's consumer route, which pushes.
    await until(async () => messages.length >= 2, 'two task notifications', 20_000)
    expect(messages).toEqual([`Task ${taskId} started`, `Task ${taskId} succeeded`])
  })

  it('a forced logout closes the socket within a second, and the client does not reconnect', async () => {
    const admin = await uiLogin('admin')
    const target = await uiLogin('admin')
    // Reconnecting as the UI does: a kicked client must not come back on its own.
    const socket = uiSocket({ token: target.token, session_uuid: target.sessionUuid }, { asTheUi: true })
    await connected(socket)
    const reason = new Promise<string>((resolve) => socket.once('disconnect', (why) => resolve(why)))

    const started = Date.now()
    const kick = await api(`/api/v1/monitors/sessions/1?session_uuid=${target.sessionUuid}`, {
      method: 'DELETE',
      token: admin.token,
    })
    expect(kick.res.status).toBe(200)
    expect(await reason).toBe('io server disconnect')
    expect(Date.now() - started).toBeLessThan(3_000) // pushed, not found by the 25 s heartbeat; loose for a loaded run
    expect(socket.connected).toBe(false)
  })
})
