/** Runs `stratum dev` (what `npm run dev` runs) on free ports with its own data folder, for end-to-end tests. */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll } from 'vitest'
import { parseDevVars } from '../../../tools/cli/lib/dev-vars'
import { freePort } from '../../../tools/emulators/shared/http'
import { startProcess, waitFor } from './processes'

/** `cwd`: another checkout to run it in (the code generator's end-to-end test); this repository by default. */
export async function startDevServer(dataDir: string, env: Record<string, string> = {}, cwd?: string) {
  const port = await freePort()
  const devVars = join(dataDir, '.dev.vars')
  const proc = startProcess(
    process.execPath,
    ['--import', 'tsx', 'tools/cli/stratum.ts', 'dev'],
    {
      PORT: String(port),
      STRATUM_DATA_DIR: dataDir,
      STRATUM_DEV_VARS: devVars,
      ...env,
    },
    cwd,
  )
  const url = `http://127.0.0.1:${port}`
  try {
    // Generous: on a loaded 2-core CI machine wrangler, workerd and three emulator processes start beside the suite.
    await waitFor(`${url}/api/v1/health`, 150_000)
  } catch (err) {
    await proc.stop()
    throw new Error(`${String(err)}\n${proc.output()}`)
  }
  // `dataDir` holds the emulators' run records (`run/<name>.json`: e.g. the SMTP stand-in's inbox URL).
  return { url, proc, vars: parseDevVars(readFileSync(devVars, 'utf8')), dataDir }
}

export type DevServer = Awaited<ReturnType<typeof startDevServer>>

/**
 * One dev server for the calling test file: started before its tests, stopped (and its data folder removed) after
 * them. Returns a getter (the server exists only once `beforeAll` ran).
 */
export function devServerForFile(prefix: string, env: Record<string, string> = {}): () => DevServer {
  const dataDir = mkdtempSync(join(tmpdir(), prefix))
  let server: DevServer | undefined
  beforeAll(async () => {
    server = await startDevServer(dataDir, env)
  })
  afterAll(async () => {
    await server?.proc.stop()
    rmSync(dataDir, { recursive: true, force: true })
  })
  return () => {
    if (!server) throw new Error('the dev server is not running (used outside a test?)')
    return server
  }
}
