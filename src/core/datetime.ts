/**
 * Datetimes on the wire: fba's `DATETIME_FORMAT` (`YYYY-MM-DD HH:mm:ss`) in Stratum's timezone, UTC.
 * The database stores epoch milliseconds; only responses format them.
 */

const pad = (n: number, width = 2) => String(n).padStart(width, '0')

/** `2026-05-16 12:00:00` (UTC), or null for a missing or invalid date. */
export function formatDateTime(d: Date | null | undefined): string | null {
  if (!d) return null
  const ms = d.getTime()
  if (Number.isNaN(ms)) return null
  return (
    `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ` +
    `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`
  )
}

let lastMs = Number.NaN
let lastIso = ''

/**
 * `new Date().toISOString()`, formatted at most once per millisecond: the access line and `ping` stamp every
 * request, and formatting costs more than the rest of a cheap request's handler.
 */
export function isoNow(): string {
  const ms = Date.now()
  if (ms !== lastMs) {
    lastMs = ms
    lastIso = new Date(ms).toISOString()
  }
  return lastIso
}
