/** The `__name__` plugin (scaffolded by `stratum plugin new __name__`), served by the real app. */
import { beforeAll, describe, expect, it } from 'vitest'
import { __table_var__ } from '../../src/plugins/__name__/schema'
import { call, callJson, jsonInit } from '../helpers/app'
import { authed, login } from '../helpers/auth'
import { fileDb, seedFileDatabase } from '../helpers/database'

beforeAll(seedFileDatabase)

const ITEMS = '/api/v1/__kebab__/items'

describe('plugin __name__', () => {
  it('serves its route to signed-in users', async () => {
    await fileDb().insert(__table_var__).values({ name: 'first' })
    const { accessToken } = await login('admin')
    const res = await authed(ITEMS, accessToken)
    expect(res.status).toBe(200)
    const body = (await res.json()) as { code: number; data: { name: string }[] }
    expect(body.code).toBe(200)
    expect(body.data.map((i) => i.name)).toEqual(['first'])
    expect((await call(ITEMS)).status).toBe(401)
  })

  it('is listed, and answers 403 while disabled until re-enabled', async () => {
    const { accessToken } = await login('admin')
    const headers = { Authorization: `Bearer ${accessToken}` }
    const listed = await callJson('/api/v1/sys/plugins', { headers })
    expect((listed.body.data as { plugin: { name: string } }[]).map((p) => p.plugin.name)).toContain('__name__')

    const toggle = () => callJson('/api/v1/sys/plugins/__name__/status', jsonInit('PUT', {}, headers))
    expect((await toggle()).res.status).toBe(200)
    const disabled = await callJson(ITEMS, { headers })
    expect(disabled.res.status).toBe(403)
    expect(disabled.body.data).toEqual({ plugin: '__name__' })

    expect((await toggle()).res.status).toBe(200)
    expect((await authed(ITEMS, accessToken)).status).toBe(200)
  })
})
