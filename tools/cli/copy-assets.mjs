// Copies the docs UI (Scalar's API reference, the browser build of @scalar/api-reference) into public/vendor so the
// Worker serves it as static assets: /docs works with no internet access and no CDN. Runs on `npm install`
// (postinstall); the copy is git-ignored. Only the ESM entry and its chunks are copied (no source maps, no
// single-file build): the entry loads the chunks it needs, the rest only when a feature is opened.
import { cpSync, existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..')
const vendor = join(root, 'public', 'vendor')
const source = join(root, 'node_modules', '@scalar', 'api-reference', 'dist', 'browser')
const target = join(vendor, 'scalar')

// The docs UI before Scalar; a checkout that still has it would serve it for nothing.
rmSync(join(vendor, 'swagger-ui'), { recursive: true, force: true })

if (!existsSync(source)) {
  // Production installs (`npm install --omit=dev`) have no docs UI to copy; nothing else depends on it.
  console.warn('copy-assets: @scalar/api-reference not installed; /docs will have no UI assets')
} else {
  // A fresh copy: chunk names carry content hashes, so an upgrade would otherwise leave the old ones behind.
  rmSync(target, { recursive: true, force: true })
  mkdirSync(join(target, 'chunks'), { recursive: true })
  cpSync(join(source, 'standalone.esm.js'), join(target, 'standalone.esm.js'))
  for (const file of readdirSync(join(source, 'chunks')))
    if (file.endsWith('.js')) cpSync(join(source, 'chunks', file), join(target, 'chunks', file))
}
