/**
 * Build-time facts about the app (the version comes from package.json, bundled by wrangler; the import attribute is
 * what Deno requires to load JSON, docs/hosts.md).
 */
import pkg from '../../package.json' with { type: 'json' }

export const APP_VERSION: string = pkg.version
