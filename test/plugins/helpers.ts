/**
 * Plugin-system test helpers: an app built with extra (fake) plugins next to the registry's (call it through
 * `harnessFor(appWith(...))`, helpers/harness.ts; same bindings, so tokens from `helpers/auth.ts` work on both), and
 * a ZIP reader to check downloads.
 */
import { unzipSync } from 'fflate'
import { type App, createApp } from '../../src/app/app'
import { PLUGINS } from '../../src/plugins/registry'
import type { PluginManifest } from '../../src/plugins/types'

export function appWith(...extra: PluginManifest[]): App {
  return createApp({ plugins: [...PLUGINS, ...extra] })
}

export interface ZipFile {
  name: string
  data: Uint8Array
}

/** The files of a ZIP archive, in archive order (fflate's reader checks each entry's CRC). */
export function readZip(bytes: Uint8Array): ZipFile[] {
  return Object.entries(unzipSync(bytes)).map(([name, data]) => ({ name, data }))
}
