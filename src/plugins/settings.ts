/**
 * The settings extension point: a plugin with `settingsProvider` (the `config` plugin) backs the login and
 * user-security settings (core/settings.ts) with its own storage. The request context gets one provider that, when
 * settings are actually read, asks every *enabled* providing plugin in dependency order and merges their overrides
 * (later plugins win per field). Nothing is read on requests that never look at settings.
 * Likewise the email extension point: a plugin with `emailTransport` (the `email` plugin) sends the app's mail.
 */
import type { Context } from 'hono'
import type { Settings, SettingsProvider } from '../core/settings'
import type { AppEnv } from '../http/context'
import type { ContextEmailTransport } from '../http/email'
import type { ContextSettingsProvider } from '../http/settings'
import { isEffectivelyEnabled, pluginStates } from './state'
import type { PluginManifest } from './types'

type Overrides = Awaited<ReturnType<SettingsProvider>>

/**
 * The email extension point: the first enabled plugin with `emailTransport` (the `email` plugin) sends the request's
 * mail (http/email.ts). Plugin states are read only when mail is sent.
 */
function pluginEmailTransport(plugins: readonly PluginManifest[]): ContextEmailTransport | undefined {
  const transports = plugins.filter((p) => p.emailTransport)
  if (!transports.length) return undefined
  return async (c) => {
    const states = await pluginStates(c.get('services'))
    const enabled = (name: string) => {
      const plugin = plugins.find((p) => p.name === name)
      return plugin !== undefined && isEffectivelyEnabled(plugin, states, plugins)
    }
    for (const plugin of transports) {
      if (!plugin.emailTransport || !enabled(plugin.name)) continue
      const sender = await plugin.emailTransport(c, { enabled })
      if (sender) return sender
    }
    return undefined
  }
}

/**
 * A per-request hook for the request context, or undefined when no plugin provides settings or email (then nothing
 * is set: config defaults apply, and mail goes to the dev outbox).
 */
export function pluginRequestContext(plugins: readonly PluginManifest[]): ((c: Context<AppEnv>) => void) | undefined {
  const emailTransport = pluginEmailTransport(plugins)
  const settings = pluginSettingsContext(plugins)
  if (!emailTransport) return settings
  return (c) => {
    c.set('emailTransport', emailTransport)
    settings?.(c)
  }
}

function pluginSettingsContext(plugins: readonly PluginManifest[]): ((c: Context<AppEnv>) => void) | undefined {
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
