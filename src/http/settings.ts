/**
 * The settings in force for one request: config defaults (core/settings.ts) with the overrides of the request's
 * settings provider, which a plugin sets per request (plugins/settings.ts).
 */
import type { Context } from 'hono'
import { resolveSettings, type Settings, type SettingsProvider } from '../core/settings'
import type { AppEnv } from './context'

/** A provider that reads the request's context. */
export type ContextSettingsProvider = (c: Context<AppEnv>, defaults: Settings) => ReturnType<SettingsProvider>

declare module './context' {
  interface Variables {
    /** Set by a plugin that backs login/user-security settings with its own storage. */
    settingsProvider?: ContextSettingsProvider
  }
}

/** The settings in force for this request (config defaults + the registered provider's overrides). */
export function requestSettings(c: Context<AppEnv>): Promise<Settings> {
  const provide = c.get('settingsProvider')
  return resolveSettings(c.get('config'), provide && ((defaults) => provide(c, defaults)))
}
