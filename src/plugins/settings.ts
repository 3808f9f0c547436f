/**
 * The settings extension point: a plugin with `settingsProvider` (the `config` plugin) backs the login and
 * user-security settings (core/settings.ts) with its own storage. The request context gets one provider that, when
 * settings are actually read, asks every *enabled* providing plugin in dependency order and merges their overrides
 * (later plugins win per field). Nothing is read on requests that never look at settings.
 */
import type { Context } from 'hono'
import type { Settings, SettingsProvider } from '../core/settings'
import type { AppEnv } from '../http/context'
import type { ContextSettingsProvider } from '../http/settings'
import { isEffectivelyEnabled, pluginStates } from './state'
import type { PluginManifest } from './types'

type Overrides = Awaited<ReturnType<SettingsProvider>>

/**
 * A per-request hook for the request context, or undefined when no plugin provides settings (then nothing is set
 * and config defaults apply).
 */
export function pluginRequestContext(plugins: readonly PluginManifest[]): ((c: Context<AppEnv>) => void) | undefined {
  const providers = plugins.filter((p) => p.settingsProvider)
  if (!providers.length) return undefined
  // One function per app, set on every request (no per-request closure): it gets the request when settings are read.
  const provide: ContextSettingsProvider = async (c, defaults) => {
    const { db, cache } = c.get('services')
    if (!db) return {}
    const logger = c.get('logger')
    const states = await pluginStates(c.get('services'))
    const merged: { [G in keyof Settings]?: Partial<Settings[G]> } = {}
    for (const plugin of providers) {
      if (!plugin.settingsProvider || !isEffectivelyEnabled(plugin, states, plugins)) continue
      const overrides = await plugin.settingsProvider(cache ? { db, cache, logger } : { db, logger })(defaults)
      for (const group of Object.keys(overrides) as (keyof Settings)[]) {
        merged[group] = { ...merged[group], ...overrides[group] } as never
      }
    }
    return merged as Overrides
  }
  return (c) => c.set('settingsProvider', provide)
}
