/**
 * The fba admin UI's traffic against `npm run dev`, over real HTTP: captcha → login (refresh cookie) →
 * `users/me` + `auth/codes` + `menus/sidebar` → refresh via the cookie → logout, for the seeded `admin` and `test`.
 */
import { strFromU8, unzipSync } from 'fflate'
import { describe, expect, it } from 'vitest'
import { readSources } from '../../tools/cli/commands/plugin'
import { devServerForFile } from './helpers/dev-server'
import { cookieOf, UI_ORIGIN, uiClient } from './helpers/ui-client'

const dev = devServerForFile('stratum-ui-')

const { api, uiLogin } = uiClient(dev)

interface SidebarNode {
  name: string
  children?: SidebarNode[]
}
const names = (nodes: SidebarNode[]): string[] => nodes.flatMap((n) => [n.name, ...names(n.children ?? [])])

describe('admin UI sequence against npm run dev', () => {
  it('admin: login, me, codes, full sidebar, refresh, logout', async () => {
    const { token, cookie } = await uiLogin('admin')
    expect(cookie).toMatch(/^fba_refresh_token=/)
    const me = await api<{ username: string; dept: string; roles: string[] }>('/api/v1/sys/users/me', { token })
    expect(me.body.data).toMatchObject({ username: 'admin', dept: '测试', roles: ['测试'] })
    const codes = await api<string[]>('/api/v1/auth/codes', { token })
    expect(codes.body.data).toContain('sys:user:del')
    const sidebar = await api<SidebarNode[]>('/api/v1/sys/menus/sidebar', { token })
    expect(names(sidebar.body.data)).toEqual(
      expect.arrayContaining(['Dashboard', 'Analytics', 'System', 'SysUser', 'Profile']),
    )

    const refreshed = await api<{ access_token: string }>('/api/v1/auth/refresh', { method: 'POST', cookie })
    expect(refreshed.res.status).toBe(200)
    const fresh = refreshed.body.data.access_token
    expect((await api('/api/v1/sys/users/me', { token: fresh })).res.status).toBe(200)
    expect((await api('/api/v1/sys/users/me', { token })).res.status).toBe(401) // rotated away

    const out = await api('/api/v1/auth/logout', { method: 'POST', token: fresh, cookie: cookieOf(refreshed.res) })
    expect(out.res.status).toBe(200)
    expect((await api('/api/v1/sys/users/me', { token: fresh })).res.status).toBe(401)
  })

  it('test: only its role’s menus, no permission codes', async () => {
    const { token } = await uiLogin('test')
    const codes = await api<string[]>('/api/v1/auth/codes', { token })
    expect(codes.body.data).toEqual([])
    const sidebar = await api<SidebarNode[]>('/api/v1/sys/menus/sidebar', { token })
    expect(names(sidebar.body.data).sort()).toEqual(['Analytics', 'Dashboard', 'Profile', 'Workspace'])
  })
})

describe('task pages against npm run dev (QStash emulator → wrangler dev)', () => {
  interface Scheduler {
    id: number
    enabled: boolean
  }
  interface TaskResult {
    task_id: string
    status: string
    result: unknown
  }

  it('creates a crontab schedule, switches it off and on, runs it now and shows its result', async () => {
    const { token } = await uiLogin('admin')
    const created = await api<Scheduler>('/api/v1/schedulers', {
      method: 'POST',
      token,
      // As the UI's form sends it: args and kwargs as JSON text.
      body: JSON.stringify({
        name: 'e2e 传参任务',
        task: 'task_demo_params',
        args: '["你好，"]',
        kwargs: '{"world": "世界"}',
        type: 1,
        crontab: '0 3 * * *',
      }),
    })
    expect(created.res.status, JSON.stringify(created.body)).toBe(200)
    const page = await api<{ items: Scheduler[] }>('/api/v1/schedulers?name=e2e', { token })
    const id = page.body.data.items[0]?.id
    expect(page.body.data.items[0]).toMatchObject({ enabled: true })
    for (const enabled of [false, true]) {
      expect((await api(`/api/v1/schedulers/${id}/status`, { method: 'PUT', token })).res.status).toBe(200)
      expect((await api<Scheduler>(`/api/v1/schedulers/${id}`, { token })).body.data.enabled).toBe(enabled)
    }
    const run = await api<{ task_id: string }>(`/api/v1/schedulers/${id}/execute`, { method: 'POST', token })
    expect(run.res.status, JSON.stringify(run.body)).toBe(200)
    // QStash (the emulator of `npm run dev`) delivers to the dev server's consumer route, signed.
    const taskId = run.body.data.task_id
    let result: TaskResult | undefined
    for (let i = 0; i < 100 && result?.status !== 'SUCCESS'; i++) {
      await new Promise((resolve) => setTimeout(resolve, 200))
      const results = await api<{ items: TaskResult[] }>(`/api/v1/task-results?task_id=${taskId}`, { token })
      result = results.body.data.items[0]
    }
    expect(result).toMatchObject({ task_id: taskId, status: 'SUCCESS', result: '你好，世界' })
  })
})

describe('plugin download against npm run dev', () => {
  it('zips the plugin sources shipped as static assets, which the public cannot fetch', async () => {
    const { token } = await uiLogin('admin')
    const res = await fetch(`${dev().url}/api/v1/sys/plugins/notice`, {
      headers: { Authorization: `Bearer ${token}`, Origin: UI_ORIGIN },
    })
    expect(res.status).toBe(200)
    const zip = unzipSync(new Uint8Array(await res.arrayBuffer()))
    const shipped = readSources().notice ?? {}
    expect(Object.keys(shipped)).toEqual(expect.arrayContaining(['README.md', 'index.ts']))
    for (const [path, text] of Object.entries(shipped)) {
      expect(strFromU8(zip[`notice/${path}`] ?? new Uint8Array())).toBe(text)
    }
    // wrangler.toml `run_worker_first`: the Worker answers, not the static-assets server.
    const open = await fetch(`${dev().url}/_plugin-sources/notice.json`)
    expect(open.status).toBe(404)
    expect(await open.text()).not.toContain('README.md')
    const css = await fetch(`${dev().url}/assets/site.css`)
    expect(css.status).toBe(200)
    await css.arrayBuffer()
  })
})
