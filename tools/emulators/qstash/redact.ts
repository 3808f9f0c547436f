/**
 * `Upstash-Redact-Fields`: QStash shows a redacted body or header value as `REDACTED:<sha256 hex of the original>`
 * in its API and logs (the hash lets a user check a value without revealing it); deliveries carry the original.
 * The event log is written already redacted (one-way, like QStash); message and DLQ views redact when rendered.
 */
import { createHash } from 'node:crypto'
import type { HeaderMap, RedactSpec } from './types'

function hidden(value: string | Buffer): string {
  return `REDACTED:${createHash('sha256').update(value).digest('hex')}`
}

export function redactHeaders(headers: HeaderMap, spec: RedactSpec | null): HeaderMap {
  if (!spec || (!spec.allHeaders && spec.headers.length === 0)) return headers
  const out: HeaderMap = {}
  for (const [name, values] of Object.entries(headers)) {
    out[name] = spec.allHeaders || spec.headers.includes(name.toLowerCase()) ? values.map(hidden) : values
  }
  return out
}

export function redactBody(body: Buffer, spec: RedactSpec | null): Buffer {
  return spec?.body && body.length > 0 ? Buffer.from(hidden(body)) : body
}
