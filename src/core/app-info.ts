/** Build-time facts about the app (the version comes from package.json, bundled by wrangler). */
import pkg from '../../package.json'

export const APP_VERSION: string = pkg.version
