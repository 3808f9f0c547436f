import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

/** The repository root (tools/cli/lib → ../../..). */
export const PROJECT_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..')
export const MIGRATIONS_DIR = join(PROJECT_ROOT, 'migrations')
