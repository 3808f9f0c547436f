/**
 * QStash client for async tasks and events; signed deliveries come back through verified consumer routes.
 *
 * The SDK takes neither a signal nor a `fetch`, so its requester is wrapped: every API call waits at most
 * `QSTASH_TIMEOUT_MS` (../deadline.ts). A server error (5xx) or a call that got no answer is a 503; the SDK's
 * `QstashError` for any other status passes unchanged.
 */
import { Client, QstashError } from '@upstash/qstash'
import type { Config } from '../core/config'
import { Deadline } from './deadline'

export function createQstash(config: Config): Client | undefined {
  if (!config.QSTASH_TOKEN) return undefined
  const client = new Client({ token: config.QSTASH_TOKEN, baseUrl: config.QSTASH_URL, retry: false })
  const deadline = new Deadline('qstash', config.QSTASH_TIMEOUT_MS)
  const http = client.http
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

export type { Client as Qstash }
