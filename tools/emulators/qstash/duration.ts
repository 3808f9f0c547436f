/**
 * Duration parsing for QStash headers (`Upstash-Delay`, `Upstash-Timeout`) and destination `Retry-After` values.
 * All results are milliseconds of *unscaled* time; the caller applies the emulator's time scale.
 */

const UNIT_MS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 }

/** Upper bound for any accepted duration (QStash caps delays at one year on paid plans). */
export const MAX_DURATION_MS = 366 * 86_400_000
/** QStash never waits longer than a day for a destination's `Retry-After`. */
export const MAX_RETRY_AFTER_MS = 86_400_000

/**
 * Parses `10s`, `5m`, `1d10h30m`, `1500ms` or a bare number of seconds (what curl users send).
 * Returns undefined for anything else so the caller can answer 400 with the header name.
 */
export function parseDuration(input: string): number | undefined {
  const text = input.trim().toLowerCase()
  if (text === '') return undefined
  if (/^\d+(\.\d+)?$/.test(text)) return clampDuration(Number(text) * 1_000)
  const token = /(\d+(?:\.\d+)?)(ms|s|m|h|d)/y
  let total = 0
  let index = 0
  while (index < text.length) {
    token.lastIndex = index
    const match = token.exec(text)
    if (!match) return undefined
    total += Number(match[1]) * (UNIT_MS[match[2] ?? ''] ?? Number.NaN)
    index = token.lastIndex
  }
  return clampDuration(total)
}

function clampDuration(ms: number): number | undefined {
  if (!Number.isFinite(ms) || ms < 0 || ms > MAX_DURATION_MS) return undefined
  return Math.round(ms)
}

/**
 * A destination may push the next retry back with `Retry-After` (seconds or an HTTP date) or the
 * `X-RateLimit-Reset*` family (seconds, or Go-style `6m5s`). Returns ms from `now`, capped at one day.
 */
export function parseRetryAfter(value: string | null | undefined, now: number): number | undefined {
  if (value === null || value === undefined) return undefined
  const text = value.trim()
  if (text === '') return undefined
  let ms: number | undefined
  if (/^\d+(\.\d+)?$/.test(text)) {
    ms = Number(text) * 1_000
  } else if (/^[\d.]+(ms|s|m|h|d)/i.test(text)) {
    ms = parseDuration(text)
  } else {
    const date = Date.parse(text)
    if (!Number.isNaN(date)) ms = Math.max(0, date - now)
  }
  if (ms === undefined || !Number.isFinite(ms)) return undefined
  return Math.min(Math.max(0, Math.round(ms)), MAX_RETRY_AFTER_MS)
}
