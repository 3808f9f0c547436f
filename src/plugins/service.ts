/**
 * Plugin administration (docs/fba-compatibility.md, "Plugins"):
 * - list: every built-in plugin as fba's plugin dict, with its run-time flag;
 * - changed: whether the database lags behind the build — a registered plugin without a `sys_plugin` row (its menus
 *   and seed rows were never inserted: run `stratum db migrate && stratum db seed`) or a row for a plugin that is no
 *   longer built in (its menus and tables are left over). Toggles apply at once, so they never set it (fba's flag
 *   means "restart needed");
 * - toggle: flips the flag, refusing (403) to switch off a required plugin and (409) to break a dependency; runs the
 *   plugin's `onEnable`/`onDisable` first, so a failing hook leaves the flag as it was; emits `plugin.toggled` with
 *   the flag (./events.ts);
 * - archive: the plugin's manifest, README and sources as a ZIP;
 * - install/uninstall: refused with 405 (`Allow: GET`) — plugins are code, added and removed at build time with the
 *   CLI. Not 403: that status means "not authorized" everywhere else (the authorization matrix relies on it).
 */
import type { Context } from 'hono'
import { ConflictError, ForbiddenError, MethodNotAllowedError, NotFoundError } from '../core/errors'
import { eventsOf } from '../domains/events/outbox'
import type { AppEnv } from '../http/context'
import type { RepositoryDb } from '../infra/db/repository'
import { required } from '../infra/services'
import { dependenciesOf, dependentsOf } from './check'
import { pluginToggled } from './events'
import { describePlugin, type PluginInfo } from './info'
import { pluginSources } from './sources'
import { knownPluginNames, loadPluginStates, ownFlag, pluginStates, storeFlag } from './state'
import type { PluginManifest } from './types'
import { createZip } from './zip'

export class PluginAdminService {
  constructor(
    private readonly c: Context<AppEnv>,
    private readonly plugins: readonly PluginManifest[],
  ) {}

  get #db(): RepositoryDb {
    return required(this.c.get('services').db, 'database')
  }

  find(name: string): PluginManifest {
    const plugin = this.plugins.find((p) => p.name === name)
    if (!plugin) throw new NotFoundError('plugin.not_found', { params: { name } })
    return plugin
  }

  async list(): Promise<PluginInfo[]> {
    const states = await pluginStates(this.c.get('services'))
    return Promise.all(this.plugins.map((p) => describePlugin(p, states)))
  }

  async changed(): Promise<boolean> {
    const known = new Set(await knownPluginNames(this.#db))
    const built = new Set(this.plugins.map((p) => p.name))
    return built.size !== known.size || [...built].some((name) => !known.has(name))
  }

  /** Switches the plugin on or off; returns the new flag. */
  async toggle(name: string): Promise<boolean> {
    const plugin = this.find(name)
    const db = this.#db
    // Decide on the database's flags, not on a cached view another isolate may not have refreshed yet.
    const states = await loadPluginStates(db)
    const on = (n: string) => {
      const p = this.plugins.find((x) => x.name === n)
      return p !== undefined && ownFlag(p, states)
    }
    const next = !ownFlag(plugin, states)
    if (next) {
      const off = dependenciesOf(name, this.plugins).filter((dep) => !on(dep))
      if (off.length) {
        throw new ConflictError('plugin.dependency_disabled', {
          params: { name, dependencies: off.join(', ') },
          data: { dependencies: off },
        })
      }
      await plugin.onEnable?.({ db })
    } else {
      if (plugin.required) throw new ForbiddenError('plugin.required', { params: { name } })
      const dependents = dependentsOf(name, this.plugins).filter(on)
      if (dependents.length) {
        throw new ConflictError('plugin.has_dependents', {
          params: { name, dependents: dependents.join(', ') },
          data: { dependents },
        })
      }
      await plugin.onDisable?.({ db })
    }
    const toggled = eventsOf(this.c).emit(db, pluginToggled, { plugin: name, enabled: next }, `plugin:${name}`)
    await storeFlag(this.c.get('services'), db, name, next, [toggled])
    return next
  }

  /** The plugin as a ZIP: `<name>/plugin.json` (the manifest as listed), then its files as built (./sources.ts). */
  async archive(name: string): Promise<Uint8Array> {
    const plugin = this.find(name)
    const states = await pluginStates(this.c.get('services'))
    const manifest = await describePlugin(plugin, states)
    const sources = await pluginSources(this.c.env.ASSETS, name)
    const files = Object.entries(sources).map(([path, data]) => ({ name: `${name}/${path}`, data }))
    return createZip([{ name: `${name}/plugin.json`, data: `${JSON.stringify(manifest, null, 2)}\n` }, ...files])
  }

  /** 405 (`Allow: GET`): the deployment cannot install code; the message says how to do it at build time. */
  refuseInstall(): never {
    throw new MethodNotAllowedError('plugin.install_at_build_time', { headers: { Allow: 'GET' } })
  }

  /** 404 for an unknown plugin, else 405 (`Allow: GET`); a required plugin's message says it is required. */
  refuseUninstall(name: string): never {
    const plugin = this.find(name)
    const key = plugin.required ? 'plugin.required_uninstall' : 'plugin.uninstall_at_build_time'
    throw new MethodNotAllowedError(key, { params: { name }, headers: { Allow: 'GET' } })
  }
}
