/**
 * The plugins' source files as built, for `GET /sys/plugins/{plugin}` (download). A Worker has no file system, and
 * embedding the files would put every plugin's text into the Worker bundle (docs/benchmarks.md "Worker bundle"), so
 * they ship as static assets: `stratum plugin sources` (also run by `stratum plugin new|add|remove`) writes one JSON
 * file per registered plugin — path inside its folder → text — to `public/_plugin-sources/<name>.json`, kept in git
 * (a test fails when it is out of date). The Worker reads them through the ASSETS binding; wrangler.toml's
 * `run_worker_first` hands public requests for that folder to the Worker, whose answer is 404, so only the
 * superuser-only download shows them.
 */
import type { Bindings } from '../http/context'

export type PluginSourceFiles = Readonly<Record<string, string>>

/** Where the files live among the static assets (public/ in the repository). */
export const PLUGIN_SOURCES_PATH = '/_plugin-sources'

/** The plugin's files (path → text, sorted by path), or an empty set when none were shipped for it. */
export async function pluginSources(assets: Bindings['ASSETS'], name: string): Promise<PluginSourceFiles> {
  // Without the binding (a deployment without static assets) the download is the manifest alone, as for a plugin
  // whose files were never written.
  if (!assets) return {}
  const res = await assets.fetch(`https://assets.local${PLUGIN_SOURCES_PATH}/${encodeURIComponent(name)}.json`)
  if (res.status === 404) {
    await res.body?.cancel()
    return {}
  }
  if (!res.ok) throw new Error(`plugin sources of "${name}": static assets answered ${res.status}`)
  const files: unknown = await res.json()
  if (!isSourceFiles(files)) throw new Error(`plugin sources of "${name}": not a map of path to text`)
  return files
}

function isSourceFiles(value: unknown): value is PluginSourceFiles {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    Object.values(value).every((text) => typeof text === 'string')
  )
}
