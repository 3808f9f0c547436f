/** Wire datetimes: `YYYY-MM-DD HH:mm:ss` in UTC (fba's DATETIME_FORMAT, Stratum's timezone default). */
import { afterEach, describe, expect, it, vi } from 'vitest'
import { formatDateTime, isoNow } from '../../src/core/datetime'

describe('formatDateTime', () => {
  it('formats in UTC with zero padding', () => {
    expect(formatDateTime(new Date('2026-05-16T12:00:00Z'))).toBe('2026-05-16 12:00:00')
    expect(formatDateTime(new Date('2026-01-02T03:04:05.678Z'))).toBe('2026-01-02 03:04:05')
  })

  it('ignores the local offset of the input', () => {
    expect(formatDateTime(new Date('2026-01-01T00:30:00+08:00'))).toBe('2025-12-31 16:30:00')
  })

  it('truncates milliseconds (never rounds up into the next second)', () => {
    expect(formatDateTime(new Date('2026-12-31T23:59:59.999Z'))).toBe('2026-12-31 23:59:59')
  })

  it('pads years below 1000 to four digits', () => {
    expect(formatDateTime(new Date(Date.UTC(999, 0, 1)))).toBe('0999-01-01 00:00:00')
  })

  it('returns null for null, undefined and invalid dates', () => {
    expect(formatDateTime(null)).toBeNull()
    expect(formatDateTime(undefined)).toBeNull()
    expect(formatDateTime(new Date('nope'))).toBeNull()
  })

  it('formats the epoch', () => {
    expect(formatDateTime(new Date(0))).toBe('1970-01-01 00:00:00')
  })
})

describe('isoNow', () => {
  afterEach(() => {
    vi.useRealTimers()
  })

  it('is an ISO 8601 UTC timestamp with milliseconds', () => {
    expect(isoNow()).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/)
  })

  it('equals toISOString() of the current millisecond, and follows the clock', () => {
    vi.useFakeTimers({ now: new Date('2026-05-16T12:00:00.123Z') })
    expect(isoNow()).toBe(new Date(Date.now()).toISOString())
    expect(isoNow()).toBe('2026-05-16T12:00:00.123Z')
    // The per-millisecond cache must not serve a stale value once the clock moves.
    vi.setSystemTime(new Date('2026-05-16T12:00:00.124Z'))
    expect(isoNow()).toBe('2026-05-16T12:00:00.124Z')
    vi.setSystemTime(new Date('2025-01-01T00:00:00.000Z'))
    expect(isoNow()).toBe('2025-01-01T00:00:00.000Z')
  })
})
