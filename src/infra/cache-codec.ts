/**
 * JSON encoding for cached values that keeps what plain JSON loses: `Date` and `bigint` become tagged objects and
 * come back as themselves; `null` stays `null`. Stored as a string so the Redis client's own JSON handling cannot
 * reshape it.
 */
const DATE = '$date'
const BIGINT = '$bigint'

export function encodeCacheValue(value: unknown): string {
  return JSON.stringify(value, function replace(this: Record<string, unknown>, key, v: unknown) {
    const raw = this[key] // before toJSON: Dates are still Dates here
    if (raw instanceof Date) return { [DATE]: raw.getTime() }
    if (typeof v === 'bigint') return { [BIGINT]: v.toString() }
    return v
  })
}

export function decodeCacheValue(text: string | object): unknown {
  // The Upstash client may already have parsed a JSON string into an object.
  const parsed: unknown = typeof text === 'string' ? JSON.parse(text) : text
  return revive(parsed)
}

function revive(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(revive)
  if (value === null || typeof value !== 'object') return value
  const record = value as Record<string, unknown>
  const keys = Object.keys(record)
  if (keys.length === 1 && typeof record[DATE] === 'number') return new Date(record[DATE])
  if (keys.length === 1 && typeof record[BIGINT] === 'string') return BigInt(record[BIGINT])
  return Object.fromEntries(keys.map((k) => [k, revive(record[k])]))
}
