// Copies the docs UI (swagger-ui-dist) into public/vendor so the Worker serves it as static assets: /docs works
// with no internet access and no CDN. Runs on `npm install` (postinstall); the copy is git-ignored.
import { cpSync, existsSync, mkdirSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..')
const source = join(root, 'node_modules', 'swagger-ui-dist')
const target = join(root, 'public', 'vendor', 'swagger-ui')
const files = ['swagger-ui.css', 'swagger-ui-bundle.js', 'swagger-ui-standalone-preset.js']

if (!existsSync(source)) {
  // Production installs (`npm install --omit=dev`) have no docs UI to copy; nothing else depends on it.
  console.warn('copy-assets: swagger-ui-dist not installed; /docs will have no UI assets')
} else {
  mkdirSync(target, { recursive: true })
  for (const file of files) cpSync(join(source, file), join(target, file))
}
