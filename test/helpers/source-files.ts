/** Node-only: the `.ts` files under a folder, at any depth (architecture tests read the sources they check). */
import { readdirSync } from 'node:fs'
import { join } from 'node:path'

export const typeScriptFiles = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? typeScriptFiles(join(dir, entry.name))
      : entry.name.endsWith('.ts')
        ? [join(dir, entry.name)]
        : [],
  )
