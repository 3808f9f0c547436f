/**
 * The plugin system end to end: test plugins (defined here) mounted next to the registry's, the gate, toggles with
 * their hooks and dependency rules, required plugins, the settings extension point, the cache bound, the seed hook
 * and every plugin-admin endpoint (docs/fba-compatibility.md, "Plugins").
 */
import { env } from 'cloudflare:workers'
import { eq, notInArray } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { seedDatabase } from '../../src/app/seed'
import type { authRoutes } from '../../src/domains/auth/routes.v1'
import type { healthRoutes } from '../../src/domains/health/routes'
import { sysMenu } from '../../src/domains/menus/schema'
import { defineRoute, jsonEnvelope, z } from '../../src/http/openapi'
import { ok } from '../../src/http/respond'
import { createRouter } from '../../src/http/router'
import { requestSettings } from '../../src/http/settings'
import { Cache, LocalStore } from '../../src/infra/cache'
import { sysPlugin } from '../../src/plugins/_core/schema'
import { checkPlugins } from '../../src/plugins/check'
import { PLUGINS } from '../../src/plugins/registry'
import type { pluginAdminRoutes } from '../../src/plugins/routes'
import { pluginSeedSteps } from '../../src/plugins/seed'
import { pluginSources } from '../../src/plugins/sources'
import { pluginStates, storeFlag } from '../../src/plugins/state'
import { definePlugin, type PluginManifest } from '../../src/plugins/types'
import { seedAndSignIn } from '../helpers/auth'
import { fileDb } from '../helpers/database'
import { sleep } from '../helpers/fixtures'
import { answer, failure, harnessFor } from '../helpers/harness'
import { fileRedis } from '../helpers/isolation'
import { expectLogs } from '../helpers/logs'
import { openApiDocument } from '../http/openapi-document'
import { appWith, readZip } from './helpers'

const tokens = seedAndSignIn()

// ---- test plugins -------------------------------------------------------------------------------------------------

const hookCalls: string[] = []

const base = {
  version: '1.2.3',
  author: 'tests',
  tags: ['other'],
  kind: 'app' as const,
}

const ping = <P extends string>(path: P, access: 'public' | 'authenticated' = 'public') =>
  defineRoute({
    method: 'get',
    path,
    access,
    summary: 'ping',
    tags: ['Probe'],
    responses: { 200: jsonEnvelope(z.object({ pong: z.string() }), 'pong') },
  })

/** An app-level plugin with v1 and v2 routes, a setting, a settings provider and lifecycle hooks. */
const probe = definePlugin({
  ...base,
  name: 'probe',
  summary: 'Probe',
  description: 'A test plugin with routes in two versions, a setting and hooks.',
  settings: z.object({ GREETING: z.string().default('hello') }),
  routes: {
    v1: () =>
      createRouter()
        .openapi(ping('/probe/ping'), (c) => ok(c, { pong: 'v1' }))
        .openapi(ping('/probe/me', 'authenticated'), (c) => ok(c, { pong: c.var.user?.username ?? '' }))
        .openapi(
          defineRoute({
            method: 'get',
            path: '/probe/settings',
            access: 'public',
            summary: 'settings in force',
            responses: { 200: jsonEnvelope(z.unknown(), 'settings') },
          }),
          async (c) => ok(c, (await requestSettings(c)).login),
        ),
    v2: () => createRouter().openapi(ping('/probe/ping'), (c) => ok(c, { pong: 'v2' })),
  },
  settingsProvider: () => async () => ({ login: { captchaExpireSeconds: 123 } }),
  onEnable: async () => {
    hookCalls.push('probe:enable')
  },
  onDisable: async () => {
    hookCalls.push('probe:disable')
  },
})

const basis = definePlugin({
  ...base,
  name: 'basis',
  summary: 'Basis',
  description: 'Another plugin depends on it.',
  routes: { v1: () => createRouter().openapi(ping('/basis/ping'), (c) => ok(c, { pong: 'basis' })) },
})

const needsBasis = definePlugin({
  ...base,
  name: 'needs_basis',
  summary: 'Needs basis',
  description: 'Depends on basis.',
  dependencies: ['basis'],
  routes: { v1: () => createRouter().openapi(ping('/needs-basis/ping'), (c) => ok(c, { pong: 'needs' })) },
})

const must = definePlugin({
  ...base,
  name: 'must',
  summary: 'Must',
  description: 'A required test plugin.',
  required: true,
  kind: 'extend',
  extends: 'admin',
  routes: { v1: () => createRouter().openapi(ping('/sys/must/ping'), (c) => ok(c, { pong: 'must' })) },
})

const flaky = definePlugin({
  ...base,
  name: 'flaky',
  summary: 'Flaky',
  description: 'Its onDisable hook fails.',
  routes: { v1: () => createRouter().openapi(ping('/flaky/ping'), (c) => ok(c, { pong: 'flaky' })) },
  onDisable: async () => {
    throw new Error('cannot let go')
  },
})

const TEST_PLUGINS: PluginManifest[] = [probe, needsBasis, basis, must, flaky]
const probed = harnessFor(appWith(...TEST_PLUGINS))
const registryOnly = harnessFor(appWith())

/** The test plugins' own routes, typed from their routers. */
const probeV1 = (token?: string, headers?: Record<string, string>) =>
  probed.api<typeof probe.routes.v1>(token, { headers }).probe
const probeV2 = () => probed.api<typeof probe.routes.v2>(undefined, { version: 'v2' }).probe
const needsBasisPing = () => probed.api<typeof needsBasis.routes.v1>()['needs-basis'].ping.$get()
const mustPing = () => probed.api<typeof must.routes.v1>().sys.must.ping.$get()
const flakyPing = () => probed.api<typeof flaky.routes.v1>().flaky.ping.$get()
/** `/sys/plugins` on the app with the test plugins, signed in with `token` when given. */
const plugins = (token?: string) => probed.api<typeof pluginAdminRoutes>(token).sys.plugins

const toggle = (name: string) => plugins(tokens.admin)[':plugin'].status.$put({ param: { plugin: name } })

async function listed(name: string) {
  const { status, data } = await answer(plugins(tokens.admin).$get())
  expect(status).toBe(200)
  const found = data.find((p) => p.plugin.name === name)
  if (!found) throw new Error(`${name} not listed`)
  return found
}

// ---- mounting and the gate ----------------------------------------------------------------------------------------

describe('mounting', () => {
  it("serves each plugin's routers in their API versions, with the plugin's own access rules", async () => {
    expect((await answer(probeV1().ping.$get())).data).toEqual({ pong: 'v1' })
    expect((await answer(probeV2().ping.$get())).data).toEqual({ pong: 'v2' })
    const byHeader = await probed.send('GET', '/api/probe/ping', { headers: { 'X-API-Version': 'v2' } })
    expect(await byHeader.json()).toEqual(expect.objectContaining({ data: { pong: 'v2' } }))
    expect((await probed.send('GET', '/api/v2/needs-basis/ping')).status).toBe(404)
    expect((await probeV1().me.$get()).status).toBe(401)
    expect((await answer(probeV1(tokens.test).me.$get())).data).toEqual({ pong: 'test' })
    expect((await answer(mustPing())).data).toEqual({ pong: 'must' })
  })

  it('documents plugin routes in the version’s OpenAPI document', async () => {
    const v1 = await openApiDocument('v1', (path) => probed.send('GET', path))
    const v2 = await openApiDocument('v2', (path) => probed.send('GET', path))
    expect(Object.keys(v1.paths)).toEqual(
      expect.arrayContaining(['/probe/ping', '/needs-basis/ping', '/sys/plugins', '/sys/plugins/{plugin}']),
    )
    expect(Object.keys(v2.paths)).toContain('/probe/ping')
    expect(Object.keys(v2.paths)).not.toContain('/sys/plugins')
  })

  it('leaves core routes and unknown paths alone (the gate is scoped to plugin paths)', async () => {
    expect((await toggle('probe')).status).toBe(200)
    try {
      expect((await probed.api<typeof healthRoutes>().health.ping.$get()).status).toBe(200)
      const miss = await failure(probed.send('GET', '/api/v1/nowhere'))
      expect(miss.status).toBe(404)
      expect(miss.body.msg).toMatch(/No route matches/i)
    } finally {
      await toggle('probe')
    }
  })
})

describe('the gate', () => {
  it('answers 403 with data.plugin while disabled — to everyone, before the access check — and serves again once re-enabled', async () => {
    const off = await answer(toggle('probe'))
    expect(off.status).toBe(200)
    expect(off.body).toMatchObject({ code: 200, data: null })
    for (const [path, request] of [
      ['/api/v1/probe/ping', () => probeV1().ping.$get()],
      ['/api/v2/probe/ping', () => probeV2().ping.$get()],
      ['/api/v1/probe/me', () => probeV1().me.$get()],
      ['/api/v1/probe/me', () => probeV1(tokens.admin).me.$get()],
    ] as const) {
      const { status, body } = await failure(request())
      expect(status, path).toBe(403)
      expect(body).toMatchObject({ code: 403, msg: 'Plugin probe is disabled; ask an administrator to enable it' })
      expect(body.data).toEqual({ plugin: 'probe' })
      expect(body.trace_id).toEqual(expect.any(String))
    }
    const zh = await failure(probeV1(undefined, { 'Accept-Language': 'zh-CN' }).ping.$get())
    expect(zh.body.msg).toBe('插件 probe 未启用，请联系系统管理员')
    expect((await listed('probe')).plugin.enable).toBe('0')

    const on = await toggle('probe')
    expect(on.status).toBe(200)
    expect((await answer(probeV1().ping.$get())).data).toEqual({ pong: 'v1' })
    expect((await listed('probe')).plugin.enable).toBe('1')
  })

  it('also closes a plugin whose dependency is off (a state the toggle rules prevent, e.g. set in the database)', async () => {
    await storeFlag({ cache: undefined }, fileDb(), 'basis', false)
    await fileRedis().del('stratum:cache:plugin:state')
    try {
      await sleep(5100) // this isolate's L1 bound (the write bypassed the app's cache)
      const { status, body } = await failure(needsBasisPing())
      expect(status).toBe(403)
      expect(body.data).toEqual({ plugin: 'needs_basis' })
      expect((await listed('needs_basis')).plugin.enable).toBe('1') // its own flag is on
    } finally {
      await toggle('basis')
    }
    expect((await needsBasisPing()).status).toBe(200)
  }, 15_000)

  it('persists the flag in sys_plugin', async () => {
    const rows = await fileDb().select().from(sysPlugin).where(eq(sysPlugin.name, 'probe'))
    expect(rows).toEqual([expect.objectContaining({ name: 'probe', enabled: true })])
  })

  it('applies a toggle in another isolate within its L1 bound', async () => {
    const redis = fileRedis()
    const prefix = 'stratum'
    const isolateA = new Cache(redis, { prefix, local: new LocalStore(), l1Seconds: 0.3 })
    const isolateB = new Cache(redis, { prefix, local: new LocalStore(), l1Seconds: 0.3 })
    const db = fileDb()
    const probeOn = async (cache: Cache) => (await pluginStates({ db, cache })).probe !== false
    expect(await probeOn(isolateB)).toBe(true)
    await storeFlag({ cache: isolateA }, db, 'probe', false)
    expect(await probeOn(isolateA)).toBe(false) // the writer: at once
    expect(await probeOn(isolateB)).toBe(true) // another isolate: from its L1…
    await sleep(350)
    expect(await probeOn(isolateB)).toBe(false) // …until the bound passes
    await storeFlag({ cache: isolateA }, db, 'probe', true)
    expect((await probeV1().ping.$get()).status).toBe(200)
  })
})

// ---- toggling -----------------------------------------------------------------------------------------------------

describe('PUT /sys/plugins/{plugin}/status', () => {
  it('runs onDisable/onEnable around the switch', async () => {
    hookCalls.length = 0
    await toggle('probe')
    await toggle('probe')
    expect(hookCalls).toEqual(['probe:disable', 'probe:enable'])
  })

  it('keeps the flag when the hook fails', async () => {
    const logs = expectLogs({ msg: 'request failed', message: 'cannot let go' })
    const { status } = await failure(toggle('flaky'))
    expect(status).toBe(500)
    expect(logs.entries).toHaveLength(1)
    expect((await flakyPing()).status).toBe(200)
    expect((await listed('flaky')).plugin.enable).toBe('1')
  })

  it('refuses to disable a required plugin (403) — fake `must` and the registry’s `dict`', async () => {
    for (const name of ['must', 'dict'].filter((n) => n === 'must' || PLUGINS.some((p) => p.name === n))) {
      const { status, body } = await failure(toggle(name))
      expect(status).toBe(403)
      expect(body.msg).toBe(`Plugin ${name} is required and cannot be disabled`)
      expect((await listed(name)).plugin).toMatchObject({ enable: '1', required: true })
    }
    expect((await mustPing()).status).toBe(200)
  })

  it('refuses (409) to disable a plugin others need, or to enable one whose dependency is off', async () => {
    const blocked = await failure(toggle('basis'))
    expect(blocked.status).toBe(409)
    expect(blocked.body.msg).toBe(
      'Plugin basis cannot be disabled while needs_basis depend(s) on it; disable them first',
    )
    expect(blocked.body.data).toEqual({ dependents: ['needs_basis'] })

    expect((await toggle('needs_basis')).status).toBe(200) // off
    expect((await toggle('basis')).status).toBe(200) // off: nothing enabled needs it now
    const waiting = await failure(toggle('needs_basis'))
    expect(waiting.status).toBe(409)
    expect(waiting.body.msg).toBe('Plugin needs_basis needs basis; enable them first')
    expect(waiting.body.data).toEqual({ dependencies: ['basis'] })
    expect((await toggle('basis')).status).toBe(200) // on
    expect((await toggle('needs_basis')).status).toBe(200) // on
    expect((await needsBasisPing()).status).toBe(200)
  })

  it('answers 404 for an unknown plugin', async () => {
    const { status, body } = await failure(toggle('ghost'))
    expect(status).toBe(404)
    expect(body.msg).toBe('Plugin ghost not found')
  })
})

// ---- settings provider --------------------------------------------------------------------------------------------

describe('settings extension point', () => {
  it('puts an enabled plugin’s provider behind c.var.settingsProvider; a disabled one is ignored', async () => {
    const on = await answer(probeV1().settings.$get())
    expect(on.data).toMatchObject({ captchaExpireSeconds: 123 })
    const captcha = () => answer(probed.api<typeof authRoutes>().auth.captcha.$get())
    expect((await captcha()).data.expire_seconds).toBe(123)

    await toggle('probe')
    try {
      expect((await captcha()).data.expire_seconds).toBe(300)
    } finally {
      await toggle('probe')
    }
    // The app without the probe plugin never sees its override.
    const plain = await answer(registryOnly.api<typeof authRoutes>().auth.captcha.$get())
    expect(plain.data.expire_seconds).toBe(300)
  })
})

// ---- admin endpoints ----------------------------------------------------------------------------------------------

describe('GET /sys/plugins', () => {
  it("lists every plugin as fba's plugin.toml dict with name and enable", async () => {
    const { status, data } = await answer(plugins(tokens.admin).$get())
    expect(status).toBe(200)
    expect(data.map((p) => p.plugin.name)).toEqual(checkPlugins([...PLUGINS, ...TEST_PLUGINS]).map((p) => p.name))
    expect(await listed('probe')).toEqual({
      plugin: {
        name: 'probe',
        summary: 'Probe',
        version: '1.2.3',
        description: 'A test plugin with routes in two versions, a setting and hooks.',
        author: 'tests',
        tags: ['other'],
        depends_on: [],
        required: false,
        enable: '1',
      },
      app: { router: ['v1', 'v2'] },
      settings: { GREETING: 'hello' },
    })
    expect((await listed('needs_basis')).plugin.depends_on).toEqual(['basis'])
    expect(await listed('must')).toEqual({
      plugin: expect.objectContaining({ name: 'must', required: true, enable: '1' }),
      app: { extend: 'admin' },
      api: { v1: { prefix: '/sys/must/ping', tags: 'Probe' } },
    })
  })

  it('needs a superuser', async () => {
    expect((await plugins().$get()).status).toBe(401)
    const denied = await failure(plugins(tokens.test).$get())
    expect(denied.status).toBe(403)
    expect(denied.body.code).toBe(403)
  })
})

describe('GET /sys/plugins/changed', () => {
  const changedOnRegistry = () =>
    answer(registryOnly.api<typeof pluginAdminRoutes>(tokens.admin).sys.plugins.changed.$get())

  it('is false when the database was seeded with exactly the built-in plugins', async () => {
    // Earlier toggles of this file's test plugins left rows the registry-only app does not know.
    await fileDb()
      .delete(sysPlugin)
      .where(
        notInArray(
          sysPlugin.name,
          PLUGINS.map((p) => p.name),
        ),
      )
    const { status, data } = await changedOnRegistry()
    expect(status).toBe(200)
    expect(data).toBe(false)
  })

  it('is true when a plugin was added (no sys_plugin row) or removed (a row left over)', async () => {
    expect((await answer(plugins(tokens.admin).changed.$get())).data).toBe(true)
    const db = fileDb()
    await db.insert(sysPlugin).values({ name: 'gone', enabled: true })
    try {
      expect((await changedOnRegistry()).data).toBe(true)
    } finally {
      await db.delete(sysPlugin).where(eq(sysPlugin.name, 'gone'))
    }
    expect((await changedOnRegistry()).data).toBe(false)
  })

  it('needs a superuser', async () => {
    expect((await plugins().changed.$get()).status).toBe(401)
    expect((await plugins(tokens.test).changed.$get()).status).toBe(403)
  })
})

describe('GET /sys/plugins/{plugin} (download)', () => {
  const download = (plugin: string, token?: string) => plugins(token)[':plugin'].$get({ param: { plugin } })

  // notice.test.ts downloads a plugin with embedded sources.
  it('answers a manifest-only ZIP for a plugin without embedded sources; 404 for an unknown plugin', async () => {
    const res = await download('probe', tokens.admin)
    expect(res.status).toBe(200)
    expect(res.headers.get('Content-Type')).toBe('application/x-zip-compressed')
    expect(res.headers.get('Content-Disposition')).toBe('attachment; filename=probe.zip')
    const files = readZip(new Uint8Array(await res.arrayBuffer()))
    expect(files.map((f) => f.name)).toEqual(['probe/plugin.json'])
    expect(JSON.parse(new TextDecoder().decode(files[0]?.data))).toEqual(await listed('probe'))
    expect(await pluginSources(env.ASSETS, 'probe')).toEqual({})
    const missing = await failure(download('ghost', tokens.admin))
    expect(missing.status).toBe(404)
    expect(missing.body.msg).toBe('Plugin ghost not found')
  })

  it('needs a superuser', async () => {
    expect((await download('probe')).status).toBe(401)
    expect((await download('probe', tokens.test)).status).toBe(403)
  })
  it('reads the files from the static assets (not the Worker bundle); without them the ZIP is the manifest alone', async () => {
    expect(Object.keys(await pluginSources(env.ASSETS, 'notice'))).toEqual(
      expect.arrayContaining(['README.md', 'index.ts']),
    )
    const bare = probed.api<typeof pluginAdminRoutes>(tokens.admin, { overrides: { ASSETS: undefined } }).sys.plugins
    const res = await bare[':plugin'].$get({ param: { plugin: 'notice' } })
    expect(res.status).toBe(200)
    expect(readZip(new Uint8Array(await res.arrayBuffer())).map((f) => f.name)).toEqual(['notice/plugin.json'])
    // A failing read is an error, not a quietly incomplete download.
    const broken = { fetch: async () => new Response('unavailable', { status: 503 }) }
    await expect(pluginSources(broken, 'notice')).rejects.toThrow('static assets answered 503')
  })
})

describe('POST /sys/plugins and DELETE /sys/plugins/{plugin}', () => {
  const uninstall = (plugin: string, token?: string) => plugins(token)[':plugin'].$delete({ param: { plugin } })

  it('refuse with 405 (Allow: GET): plugins are installed and removed at build time with the CLI', async () => {
    // The admin UI's upload carries `?type=zip`, which the route does not declare.
    const installing = probed.send('POST', '/api/v1/sys/plugins?type=zip', { token: tokens.admin })
    const install = await failure(installing)
    expect(install.status).toBe(405)
    expect((await installing).headers.get('Allow')).toBe('GET')
    expect(install.body).toMatchObject({ code: 405, data: null })
    expect(install.body.msg).toBe(
      'Plugins are installed at build time: run `stratum plugin add <path>` (or `stratum plugin new <name>`), then migrate, seed and deploy',
    )

    const uninstalling = uninstall('probe', tokens.admin)
    const removed = await failure(uninstalling)
    expect(removed.status).toBe(405)
    expect((await uninstalling).headers.get('Allow')).toBe('GET')
    expect(removed.body.msg).toBe(
      'Plugins are removed at build time: run `stratum plugin remove probe` and deploy; to switch it off now, disable it',
    )
    expect((await probeV1().ping.$get()).status).toBe(200) // still there

    const required = await failure(uninstall('must', tokens.admin))
    expect(required.status).toBe(405)
    expect(required.body.msg).toBe('Plugin must is required and cannot be uninstalled')
    expect((await uninstall('ghost', tokens.admin)).status).toBe(404)
  })

  it('need a superuser', async () => {
    expect((await plugins().$post()).status).toBe(401)
    expect((await plugins(tokens.test).$post()).status).toBe(403)
    expect((await uninstall('probe')).status).toBe(401)
    expect((await uninstall('probe', tokens.test)).status).toBe(403)
    expect((await plugins()[':plugin'].status.$put({ param: { plugin: 'probe' } })).status).toBe(401)
    expect((await plugins(tokens.test)[':plugin'].status.$put({ param: { plugin: 'probe' } })).status).toBe(403)
  })
})

// ---- seeding ------------------------------------------------------------------------------------------------------

describe('plugin seed hook', () => {
  it("inserts every registered plugin's sys_plugin row and menus with the core seed; a re-run inserts nothing", async () => {
    const db = fileDb()
    const rows = await db.select({ name: sysPlugin.name }).from(sysPlugin)
    expect(rows.map((r) => r.name)).toEqual(expect.arrayContaining(PLUGINS.map((p) => p.name)))
    const again = await seedDatabase(db, { hashPassword: async (p) => p, adminPassword: 'x', testPassword: 'y' })
    for (const counts of Object.values(again.plugins)) expect(Object.values(counts).every((n) => n === 0)).toBe(true)
    expect(Object.keys(again.plugins)).toEqual(checkPlugins(PLUGINS).map((p) => p.name))
  })

  it('resolves parents by menu name, inside the same batch', async () => {
    const db = fileDb()
    const seeded = definePlugin({
      ...base,
      name: 'menus_probe',
      summary: 'Menus',
      description: 'Menus only.',
      menus: [
        { name: 'ProbeMenu', title: 'probe.menu', parent: 'System', path: '/plugins/probe', type: 1, sort: 11 },
        { name: 'ProbeAdd', title: '新增', parent: 'ProbeMenu', type: 2, perms: 'probe:add', display: 0 },
        { name: 'ProbeTop', title: 'probe.top', type: 0 },
      ],
    })
    const steps = pluginSeedSteps(db, [seeded])
    const run = () => db.batch(steps.map((s) => s.query) as [never, ...never[]])
    await run()
    await run()
    const menus = await db.select().from(sysMenu)
    const byName = new Map(menus.map((m) => [m.name, m]))
    const system = byName.get('System')
    expect(byName.get('ProbeMenu')).toMatchObject({ parentId: system?.id, type: 1, path: '/plugins/probe', sort: 11 })
    expect(byName.get('ProbeAdd')).toMatchObject({
      parentId: byName.get('ProbeMenu')?.id,
      type: 2,
      perms: 'probe:add',
      display: 0,
      status: 1,
    })
    expect(byName.get('ProbeTop')?.parentId).toBeNull()
    expect(menus.filter((m) => m.name.startsWith('Probe'))).toHaveLength(3)
  })
})
