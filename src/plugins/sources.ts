/**
 * The plugins' source files as built, for `GET /sys/plugins/{plugin}` (download). A Worker has no file system, so
 * the files are embedded at build time: `sources.generated.json` maps plugin name → path inside its folder → text.
 * It is generated from the registered plugins' folders by `stratum plugin sources` (also run by `stratum plugin
 * new|add|remove`) and kept in git; a test fails when it is out of date. A JSON import works under wrangler's
 * esbuild and under Vite (tests) alike.
 */
import generated from './sources.generated.json'

export type PluginSourceFiles = Readonly<Record<string, string>>

const SOURCES: Readonly<Record<string, PluginSourceFiles>> = generated

/** The plugin's files (path → text, sorted by path), or an empty set when it was not embedded. */
export function pluginSources(name: string): PluginSourceFiles {
  return Object.hasOwn(SOURCES, name) ? (SOURCES[name] as PluginSourceFiles) : {}
}
