/**
 * `npm run bench`: runs every benchmark in this folder one after another (each is also runnable alone with
 * `npx tsx tools/bench/<name>.ts`). Results and method: docs/benchmarks.md.
 */
import { spawnSync } from 'node:child_process'
import { readdirSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const here = dirname(fileURLToPath(import.meta.url))
const only = process.argv.slice(2)
const benches = readdirSync(here)
  .filter((f) => f.endsWith('.ts') && f !== 'run.ts')
  .filter((f) => !only.length || only.some((name) => f.startsWith(name)))

let failed = 0
for (const file of benches) {
  console.log(`\n== ${file} ==`)
  const result = spawnSync(process.execPath, ['--import', 'tsx', join(here, file)], { stdio: 'inherit' })
  if (result.status !== 0) failed++
}
process.exitCode = failed ? 1 : 0
