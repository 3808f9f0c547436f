/**
 * The plugins built into this deployment. Workers cannot install code at run time, so installing a plugin means
 * listing it here and deploying; `PUT /api/v1/sys/plugins/{name}/status` then switches it on and off at run time.
 * `createApp` checks the list (`checkPlugins`: names, versions, dependencies) and refuses to start when it is wrong.
 *
 * `stratum plugin new|add|remove` (tools/cli/commands/plugin.ts) edit this file: one
 * `import { <camelName>Plugin } from './<name>'` line per plugin (anywhere among the imports) and one
 * `<camelName>Plugin,` line per plugin between the two markers. Edit it by hand as you like, keeping that shape.
 */
import { codeGeneratorPlugin } from './code_generator'
import { configPlugin } from './config'
import { dictPlugin } from './dict'
import { emailPlugin } from './email'
import { noticePlugin } from './notice'
import { oauth2Plugin } from './oauth2'
import type { PluginManifest } from './types'

/**
 * Installed plugins, in registry order (mounted and seeded in dependency order). `as const`: each keeps its routers'
 * types, from which the typed client reads the API (src/client).
 */
const INSTALLED = [
  // stratum:plugins:start
  dictPlugin,
  configPlugin,
  noticePlugin,
  emailPlugin,
  oauth2Plugin,
  codeGeneratorPlugin,
  // stratum:plugins:end
] as const satisfies readonly PluginManifest[]

export const PLUGINS: readonly PluginManifest[] = INSTALLED
/** The installed plugins, each with its own type (the typed client's source, src/client). */
export type InstalledPlugins = typeof INSTALLED
