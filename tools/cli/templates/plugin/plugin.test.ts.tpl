/** The `__name__` plugin (scaffolded by `stratum plugin new __name__`), served by the real app. */
import { describe, expect, it } from 'vitest'
import { __camel__Routes } from '../../src/plugins/__name__/routes.v1'
import { __table_var__ } from '../../src/plugins/__name__/schema'
import type { pluginAdminRoutes } from '../../src/plugins/routes'
import { seedAndSignIn } from '../helpers/auth'
import { fileDb } from '../helpers/database'
import { answer, api, failure } from '../helpers/harness'

const tokens = seedAndSignIn(['admin'])

const items = (token?: string) => api<typeof __camel__Routes>(token).__kebab_member__.items.$get()

describe('plugin __name__', () => {
  it('serves its route to signed-in users', async () => {
    await fileDb().insert(__table_var__).values({ name: 'first' })
    const { status, body, data } = await answer(items(tokens.admin))
    expect(status).toBe(200)
    expect(body.code).toBe(200)
    expect(data.map((i) => i.name)).toEqual(['first'])
    expect((await failure(items())).status).toBe(401)
  })

  it('is listed, and answers 403 while disabled until re-enabled', async () => {
    const plugins = api<typeof pluginAdminRoutes>(tokens.admin).sys.plugins
    const listed = await answer(plugins.$get())
    expect(listed.data.map((p) => p.plugin.name)).toContain('__name__')

    const toggle = () => plugins[':plugin'].status.$put({ param: { plugin: '__name__' } })
    expect((await toggle()).status).toBe(200)
    const disabled = await failure(items(tokens.admin))
    expect(disabled.status).toBe(403)
    expect(disabled.body.data).toEqual({ plugin: '__name__' })

    expect((await toggle()).status).toBe(200)
    expect((await items(tokens.admin)).status).toBe(200)
  })
})
