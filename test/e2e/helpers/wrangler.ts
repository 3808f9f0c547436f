/** Runs `wrangler dev` on free ports with the given vars, for tests that need the real local server. */
import { freePort } from '../../../tools/emulators/shared/http'
import { startProcess, waitFor } from './processes'

export async function startWranglerDev(vars: Record<string, string>) {
  const port = await freePort()
  const inspectorPort = await freePort()
  const args = [
    'wrangler',
    'dev',
    '--ip',
    '127.0.0.1',
    '--port',
    String(port),
    '--inspector-port',
    String(inspectorPort),
  ]
  for (const [key, value] of Object.entries(vars)) args.push('--var', `${key}:${value}`)
  const proc = startProcess('npx', args, { WRANGLER_SEND_METRICS: 'false', CLOUDFLARE_CF_FETCH_ENABLED: 'false' })
  const url = `http://127.0.0.1:${port}`
  try {
    await waitFor(`${url}/api/v1/health/ping`, 90_000)
  } catch (err) {
    await proc.stop()
    throw new Error(`wrangler dev did not start: ${String(err)}\n${proc.output()}`)
  }
  return { url, ...proc }
}
