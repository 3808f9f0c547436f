/**
 * QStash client for async tasks and events; signed deliveries come back through verified consumer routes.
 *
 * The SDK takes neither a signal nor a `fetch`, so its requester is wrapped: every API call waits at most
 * `QSTASH_TIMEOUT_MS` (../deadline.ts). A server error (5xx) or a call that got no answer is a 503; the SDK's
 * `QstashError` for any other status passes unchanged.
 */
import { Client, QstashError, Receiver } from '@upstash/qstash'
import type { Config } from '../core/config'
import { Deadline } from './deadline'

/**
 * Where QStash delivers, below `PUBLIC_URL`: one signed route for every kind of delivery (tasks, events) and one for
 * QStash's failure callbacks (src/domains/tasks/routes.deliveries.ts, which declares them below `/api/v1` as
 * `QSTASH_*_ROUTE`). Literal types throughout: a route's path type is what the typed client (src/client) reads, and a
 * plain `string` there would hide the router's routes from it.
 */
export const QSTASH_DELIVERY_ROUTE = '/qstash/deliveries'
export const QSTASH_FAILURE_ROUTE = '/qstash/failures'
export const QSTASH_DELIVERY_PATH = `/api/v1${QSTASH_DELIVERY_ROUTE}` as const
export const QSTASH_FAILURE_PATH = `/api/v1${QSTASH_FAILURE_ROUTE}` as const

export function createQstash(config: Config): Client | undefined {
  if (!config.QSTASH_TOKEN) return undefined
  const client = new Client({ token: config.QSTASH_TOKEN, baseUrl: config.QSTASH_URL, retry: false })
  const deadline = new Deadline('qstash', config.QSTASH_TIMEOUT_MS)
  const http = client.http
  quietAnswers(http)
  const isAnswer = (err: unknown) => err instanceof QstashError && (err.status ?? 0) < 500
  client.http = {
    headers: http.headers,
    telemetryHeaders: http.telemetryHeaders,
    request: (req) => deadline.run(() => http.request(req), isAnswer),
    // Streaming (the SDK's LLM chat API) is not used by Stratum and stays unbounded.
    requestStream: (req) => http.requestStream(req),
  }
  return client
}

/**
 * The SDK prints every non-2xx answer to the console before throwing it. Callers here turn `QstashError` into answers
 * (a cancel's 404 is expected) and log what matters, so only the throw stays. Feature-checked: if a later SDK no longer
 * has these methods, it keeps printing and nothing breaks.
 */
function quietAnswers(http: object): void {
  const sdk = http as { checkResponse?: unknown; getResponseError?: unknown }
  const responseError = sdk.getResponseError
  if (typeof sdk.checkResponse !== 'function' || typeof responseError !== 'function') return
  sdk.checkResponse = async (response: Response) => {
    const error: unknown = await responseError.call(http, response)
    if (error) throw error
  }
}

export type { Client as Qstash }

/**
 * Checks a delivery's `Upstash-Signature` (a JWT over the raw body and the destination URL) with the current signing
 * key, then the next one (QStash signs with the next key during a rotation). False for a missing, tampered, expired
 * or wrong-URL signature; never throws for a bad signature. Without both keys nothing verifies.
 */
export async function verifyQstashDelivery(
  config: Config,
  delivery: { signature: string | undefined; body: string; url: string },
): Promise<boolean> {
  const { QSTASH_CURRENT_SIGNING_KEY: currentSigningKey, QSTASH_NEXT_SIGNING_KEY: nextSigningKey } = config
  if (!currentSigningKey || !nextSigningKey || !delivery.signature) return false
  const receiver = new Receiver({ currentSigningKey, nextSigningKey })
  try {
    // A few seconds of clock skew between QStash and the Worker are tolerated (`nbf`/`exp`).
    return await receiver.verify({
      signature: delivery.signature,
      body: delivery.body,
      url: delivery.url,
      clockTolerance: 5,
    })
  } catch {
    return false
  }
}
