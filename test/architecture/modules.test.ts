/**
 * The module lists (src/app/domains.ts, src/plugins/registry.ts) are the one place a domain or plugin is registered;
 * these checks keep what hangs off them consistent: every permission code a route checks is declared by a module or
 * plugin and carried by a seeded menu button (so a role can be granted it from the admin UI), and every module's
 * messages exist in every language.
 */
import { describe, expect, it } from 'vitest'
import { appCatalogue, DOMAINS } from '../../src/app/domains'
import { LANGUAGES } from '../../src/core/i18n'
import { MENU_SEED } from '../../src/domains/menus/seed'
import { isLazyRoutes, routesFactory } from '../../src/http/lazy-routes'
import type { Router } from '../../src/http/router'
import { PLUGINS } from '../../src/plugins/registry'

/** The permission codes a router's routes check (`access: { permission }`, shown as `x-access`). */
function routePermissions(router: Router): string[] {
  return router.openAPIRegistry.definitions.flatMap((d) => {
    if (d.type !== 'route') return []
    const access = (d.route as { 'x-access'?: string })['x-access']
    return access?.includes(':') ? [access] : []
  })
}

/** The modules and plugins that ship with Stratum. */
const SHIPPED = new Set([
  ...['health', 'events', 'auth', 'depts', 'menus', 'data-rules', 'data-scopes', 'roles', 'users', 'logs'],
  ...['monitors', 'tasks', 'files', 'dict', 'config', 'notice', 'email', 'oauth2', 'code_generator'],
])

const catalogue = appCatalogue()
const routers: [owner: string, router: Router][] = await Promise.all([
  ...DOMAINS.flatMap((d) =>
    Object.values(d.routes ?? {}).map(
      async (entry): Promise<[string, Router]> => [d.name, (await routesFactory(entry))(catalogue)],
    ),
  ),
  ...PLUGINS.flatMap((p) =>
    Object.values(p.routes ?? {}).map(
      async (entry): Promise<[string, Router]> => [p.name, (await routesFactory(entry))()],
    ),
  ),
])

const declared = new Set([
  ...DOMAINS.flatMap((d) => Object.values(d.permissions ?? {})),
  ...PLUGINS.flatMap((p) => (p.menus ?? []).flatMap((m) => m.perms?.split(',') ?? [])),
])

const carried = new Set(
  [...MENU_SEED.map((m) => m.perms), ...[...DOMAINS, ...PLUGINS].flatMap((m) => (m.menus ?? []).map((x) => x.perms))]
    .flatMap((perms) => perms?.split(',') ?? [])
    .map((p) => p.trim()),
)

describe('module registration', () => {
  it('ships every router but the liveness probe’s loaded on first use (docs/architecture.md, "Lazy routers")', () => {
    // The health module stays eager: its ping answers before anything else is loaded, and costs nothing to build.
    // Modules added later may be eager (the code generator writes plain factories), so only the shipped ones count.
    const eager = [...DOMAINS, ...PLUGINS]
      .filter((m) => SHIPPED.has(m.name))
      .flatMap((m) =>
        Object.entries(m.routes ?? {}).flatMap(([v, entry]) => (isLazyRoutes(entry) ? [] : [`${m.name} ${v}`])),
      )
    expect(eager).toEqual(['health v1', 'health v2'])
  })

  it('every permission a route checks is declared by its module or plugin', () => {
    const undeclared = routers.flatMap(([owner, router]) =>
      routePermissions(router)
        .filter((code) => !declared.has(code))
        .map((code) => `${owner}: ${code}`),
    )
    expect(undeclared).toEqual([])
  })

  it('every declared permission is carried by a seeded menu button', () => {
    expect([...declared].filter((code) => !carried.has(code))).toEqual([])
  })

  it("module names are unique and match their folders' names", () => {
    const names = [...DOMAINS.map((d) => d.name), ...PLUGINS.map((p) => p.name)]
    expect(new Set(names).size).toBe(names.length)
  })

  it('every module message exists in every language', () => {
    for (const module of [...DOMAINS, ...PLUGINS]) {
      const messages = module.messages
      if (!messages) continue
      const keys = Object.keys(messages['en-US']).sort()
      for (const lang of LANGUAGES) expect(Object.keys(messages[lang]).sort(), `${module.name} ${lang}`).toEqual(keys)
    }
  })
})
