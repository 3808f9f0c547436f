/** The cached sidebar and the cache statistics endpoint. */
import { eq } from 'drizzle-orm'
import { beforeAll, describe, expect, it } from 'vitest'
import { sysMenu } from '../../../src/domains/menus/schema'
import { authed, login } from '../../helpers/auth'
import { fileDb, seedFileDatabase } from '../../helpers/database'

let admin = ''
let test = ''

beforeAll(async () => {
  await seedFileDatabase()
  admin = (await login('admin')).accessToken
  test = (await login('test')).accessToken
})

async function json<T>(path: string, token: string, init: RequestInit = {}): Promise<T> {
  const res = await authed(path, token, init)
  expect(res.status).toBe(200)
  return ((await res.json()) as { data: T }).data
}

type Stats = { scope: string; namespaces: Record<string, { hits: number; l1_hits: number; misses: number }> }

describe('cache', () => {
  it('serves the sidebar from the cache and counts it', async () => {
    const first = await json<unknown[]>('/api/v1/sys/menus/sidebar', test)
    const before = (await json<Stats>('/api/v1/monitors/cache', admin)).namespaces.sidebar
    const second = await json<unknown[]>('/api/v1/sys/menus/sidebar', test)
    const after = (await json<Stats>('/api/v1/monitors/cache', admin)).namespaces.sidebar
    expect(second).toEqual(first)
    expect(after?.hits).toBe((before?.hits ?? 0) + 1)
  })

  it('shows a menu change on the next sidebar read (the generation moves)', async () => {
    const titles = async () =>
      JSON.stringify(await json<unknown[]>('/api/v1/sys/menus/sidebar', test)).includes('Renamed Workspace')
    expect(await titles()).toBe(false)
    const body = { title: 'Renamed Workspace', name: 'Workspace', path: '/workspace', parent_id: 1, sort: 1, type: 1 }
    const res = await authed('/api/v1/sys/menus/3', admin, {
      method: 'PUT',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ ...body, component: '/dashboard/workspace/index', status: 1, display: 1, cache: 1 }),
    })
    expect(res.status).toBe(200)
    expect(await titles()).toBe(true)
    const [row] = await fileDb().select().from(sysMenu).where(eq(sysMenu.id, 3))
    expect(row?.title).toBe('Renamed Workspace')
  })

  it('is for superusers', async () => {
    expect((await authed('/api/v1/monitors/cache', test)).status).toBe(403)
  })
})
