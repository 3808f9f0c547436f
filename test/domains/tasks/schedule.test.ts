/**
 * When a schedule fires (src/domains/tasks/schedule.ts), with fixed clocks: crontab and interval firings, the
 * timezone, start and expiry windows, one-off schedules, one catch-up after downtime, and crontab validation.
 */
import { describe, expect, it } from 'vitest'
import { type Firing, firingOf, isValidCrontab, type ScheduleRow } from '../../../src/domains/tasks/schedule'
import { SCHEDULE_TYPES } from '../../../src/domains/tasks/schema'

const at = (iso: string) => new Date(iso)

/** A schedule created on 2026-05-16 at 10:30 UTC, never run, never changed. */
function row(fields: Partial<ScheduleRow>): ScheduleRow {
  return {
    type: SCHEDULE_TYPES.crontab,
    crontab: '* * * * *',
    intervalEvery: null,
    intervalPeriod: null,
    startTime: null,
    expireTime: null,
    expireSeconds: null,
    oneOff: false,
    totalRunCount: 0,
    lastRunTime: null,
    createdTime: at('2026-05-16T10:30:00Z'),
    updatedTime: null,
    ...fields,
  }
}

const hourly = (fields: Partial<ScheduleRow> = {}) => row({ crontab: '0 * * * *', ...fields })
const everyHour = (fields: Partial<ScheduleRow> = {}) =>
  row({ type: SCHEDULE_TYPES.interval, intervalEvery: 1, intervalPeriod: 'hours', ...fields })

const fire = (schedule: ScheduleRow, now: string, timezone = 'UTC'): Firing =>
  firingOf(schedule, { now: at(now), timezone })
const due = (iso: string): Firing => ({ state: 'due', at: at(iso) })
const IDLE: Firing = { state: 'idle' }

describe('crontab schedules', () => {
  it('fire on the minute the crontab names, counting a firing at exactly now', () => {
    expect(fire(hourly(), '2026-05-16T10:59:59.999Z')).toEqual(IDLE)
    expect(fire(hourly(), '2026-05-16T11:00:00Z')).toEqual(due('2026-05-16T11:00:00Z'))
    // A late tick still submits the firing it missed, at the firing's own time (its deduplication id).
    expect(fire(hourly(), '2026-05-16T11:00:42Z')).toEqual(due('2026-05-16T11:00:00Z'))
  })

  it('fire once per firing: after a run, the next firing', () => {
    const ran = hourly({ lastRunTime: at('2026-05-16T11:00:00Z'), totalRunCount: 1 })
    expect(fire(ran, '2026-05-16T11:00:00Z')).toEqual(IDLE)
    expect(fire(ran, '2026-05-16T11:59:00Z')).toEqual(IDLE)
    expect(fire(ran, '2026-05-16T12:00:00Z')).toEqual(due('2026-05-16T12:00:00Z'))
  })

  it('read the crontab in the configured timezone', () => {
    const nineOClock = row({ crontab: '0 9 * * *', createdTime: at('2026-05-15T00:00:00Z') })
    // 09:00 in Shanghai is 01:00 UTC.
    expect(fire(nineOClock, '2026-05-16T01:00:00Z', 'Asia/Shanghai')).toEqual(due('2026-05-16T01:00:00Z'))
    expect(fire(nineOClock, '2026-05-16T01:00:00Z', 'UTC')).toEqual(due('2026-05-15T09:00:00Z'))
    expect(fire(nineOClock, '2026-05-16T08:59:00Z', 'UTC')).toEqual(due('2026-05-15T09:00:00Z'))
    expect(fire(nineOClock, '2026-05-16T09:00:00Z', 'UTC')).toEqual(due('2026-05-16T09:00:00Z'))
  })

  it('need both the day of month and the day of week when both are given (Celery), not either (cron)', () => {
    // "00:00 on a Saturday among the first seven days of the month".
    const firstSaturday = row({ crontab: '0 0 1-7 * 6', createdTime: at('2026-05-03T00:00:00Z') })
    // Saturday 2026-05-23 is not in the first week; Monday 2026-06-01 is not a Saturday.
    expect(fire(firstSaturday, '2026-05-23T00:00:00Z')).toEqual(IDLE)
    expect(fire(firstSaturday, '2026-06-01T00:00:00Z')).toEqual(IDLE)
    expect(fire(firstSaturday, '2026-06-06T00:00:00Z')).toEqual(due('2026-06-06T00:00:00Z'))
  })

  it('skip firings from before the schedule was created or last changed', () => {
    // Created at 10:30: the 10:00 firing is not its own.
    expect(fire(hourly(), '2026-05-16T10:45:00Z')).toEqual(IDLE)
    // Changed at 11:30 after running at 10:00: the 11:00 firing is older than the change, so no catch-up.
    const changed = hourly({ lastRunTime: at('2026-05-16T10:00:00Z'), updatedTime: at('2026-05-16T11:30:00Z') })
    expect(fire(changed, '2026-05-16T11:45:00Z')).toEqual(IDLE)
    expect(fire(changed, '2026-05-16T12:00:00Z')).toEqual(due('2026-05-16T12:00:00Z'))
  })
})

describe('interval schedules', () => {
  it('fire every interval from their creation, the first one interval after it', () => {
    expect(fire(everyHour(), '2026-05-16T10:30:00Z')).toEqual(IDLE)
    expect(fire(everyHour(), '2026-05-16T11:29:59Z')).toEqual(IDLE)
    expect(fire(everyHour(), '2026-05-16T11:30:00Z')).toEqual(due('2026-05-16T11:30:00Z'))
    const ran = everyHour({ lastRunTime: at('2026-05-16T11:30:00Z'), totalRunCount: 1 })
    expect(fire(ran, '2026-05-16T12:00:00Z')).toEqual(IDLE)
    expect(fire(ran, '2026-05-16T12:31:00Z')).toEqual(due('2026-05-16T12:30:00Z'))
  })

  it('keep to their grid from start_time, firing at start_time itself', () => {
    const quarterly = row({
      type: SCHEDULE_TYPES.interval,
      intervalEvery: 15,
      intervalPeriod: 'minutes',
      startTime: at('2026-05-16T12:00:00Z'),
    })
    expect(fire(quarterly, '2026-05-16T11:59:00Z')).toEqual(IDLE)
    expect(fire(quarterly, '2026-05-16T12:00:00Z')).toEqual(due('2026-05-16T12:00:00Z'))
    expect(fire(quarterly, '2026-05-16T12:20:00Z')).toEqual(due('2026-05-16T12:15:00Z'))
  })

  it('take every period fba offers', () => {
    const cases = [
      { intervalEvery: 2, intervalPeriod: 'days', first: '2026-05-18T10:30:00Z' },
      { intervalEvery: 3, intervalPeriod: 'minutes', first: '2026-05-16T10:33:00Z' },
      { intervalEvery: 90, intervalPeriod: 'seconds', first: '2026-05-16T10:31:30Z' },
      { intervalEvery: 120_000_000, intervalPeriod: 'microseconds', first: '2026-05-16T10:32:00Z' },
    ] as const
    for (const { first, ...interval } of cases) {
      const schedule = row({ type: SCHEDULE_TYPES.interval, ...interval })
      expect(fire(schedule, first), interval.intervalPeriod).toEqual(due(first))
      expect(fire(schedule, new Date(at(first).getTime() - 1).toISOString()), interval.intervalPeriod).toEqual(IDLE)
    }
  })

  it('are not read in the timezone (an interval is a duration)', () => {
    expect(fire(everyHour(), '2026-05-16T11:30:00Z', 'Asia/Shanghai')).toEqual(due('2026-05-16T11:30:00Z'))
  })
})

describe('windows', () => {
  it('nothing fires before start_time', () => {
    const later = hourly({ startTime: at('2026-05-16T12:30:00Z') })
    expect(fire(later, '2026-05-16T12:00:00Z')).toEqual(IDLE)
    expect(fire(later, '2026-05-16T12:59:00Z')).toEqual(IDLE)
    expect(fire(later, '2026-05-16T13:00:00Z')).toEqual(due('2026-05-16T13:00:00Z'))
  })

  it('a schedule past its expire_time is done', () => {
    const expiring = hourly({ expireTime: at('2026-05-16T12:00:00Z') })
    expect(fire(expiring, '2026-05-16T12:00:00Z')).toEqual(due('2026-05-16T12:00:00Z'))
    expect(fire(expiring, '2026-05-16T12:00:01Z')).toEqual({ state: 'done', reason: 'expired' })
  })

  it('a firing not dispatched within expire_seconds of its cron tick is dropped', () => {
    // Every 90 s from 10:30: a firing at 10:31:30 is first seen by the 10:32 tick.
    const schedule = (expireSeconds: number) =>
      row({ type: SCHEDULE_TYPES.interval, intervalEvery: 90, intervalPeriod: 'seconds', expireSeconds })
    expect(fire(schedule(0), '2026-05-16T10:32:00Z')).toEqual(due('2026-05-16T10:31:30Z'))
    expect(fire(schedule(30), '2026-05-16T10:32:30Z')).toEqual(due('2026-05-16T10:31:30Z'))
    expect(fire(schedule(30), '2026-05-16T10:32:31Z')).toEqual({ state: 'late', at: at('2026-05-16T10:31:30Z') })
    expect(fire(hourly({ expireSeconds: 300 }), '2026-05-16T11:05:00Z')).toEqual(due('2026-05-16T11:00:00Z'))
    expect(fire(hourly({ expireSeconds: 300 }), '2026-05-16T11:05:01Z')).toEqual({
      state: 'late',
      at: at('2026-05-16T11:00:00Z'),
    })
  })
})

describe('one-off schedules', () => {
  it('fire once, then are done', () => {
    expect(fire(hourly({ oneOff: true }), '2026-05-16T11:00:00Z')).toEqual(due('2026-05-16T11:00:00Z'))
    const ran = hourly({ oneOff: true, lastRunTime: at('2026-05-16T11:00:00Z'), totalRunCount: 1 })
    expect(fire(ran, '2026-05-16T12:00:00Z')).toEqual({ state: 'done', reason: 'one_off' })
  })
})

describe('after downtime', () => {
  it('only the latest missed firing is due: one catch-up run, then the normal rhythm', () => {
    // Last run at 06:00; nothing dispatched until 12:00:05 — six hourly firings missed.
    const stalled = hourly({ createdTime: at('2026-05-16T00:00:00Z'), lastRunTime: at('2026-05-16T06:00:00Z') })
    expect(fire(stalled, '2026-05-16T12:00:05Z')).toEqual(due('2026-05-16T12:00:00Z'))
    const caughtUp = { ...stalled, lastRunTime: at('2026-05-16T12:00:00Z') }
    expect(fire(caughtUp, '2026-05-16T12:30:00Z')).toEqual(IDLE)
    expect(fire(caughtUp, '2026-05-16T13:00:00Z')).toEqual(due('2026-05-16T13:00:00Z'))

    const interval = everyHour({ lastRunTime: at('2026-05-16T11:30:00Z') })
    expect(fire(interval, '2026-05-16T17:45:00Z')).toEqual(due('2026-05-16T17:30:00Z'))
  })
})

describe('crontab validation', () => {
  it.each([
    '* * * * *',
    '0 0 15 * *',
    '0 0 * * 6',
    '1 * * * *',
    '*/15 0-6 1,15 jan-jun mon-fri',
    '0 9-17/2 * * 1-5',
    '  0   0 * * 0 ',
  ])('accepts %j', (expression) => {
    expect(isValidCrontab(expression)).toBe(true)
  })

  it.each([
    '',
    '* * * *',
    '* * * * * *',
    '61 * * * *',
    '0 24 * * *',
    '0 0 32 * *',
    '0 0 * 13 *',
    '0 0 30 2 *',
    '0 0 L * *',
    '0 0 ? * *',
    '0 0 * * MON#2',
    '0 0 15W * *',
    '@daily',
    '5/15 * * * *',
    'a b c d e',
  ])('refuses %j', (expression) => {
    expect(isValidCrontab(expression)).toBe(false)
  })

  it('marks a stored crontab that does not parse as invalid (the dispatcher disables it)', () => {
    expect(fire(row({ crontab: '0 0 31 2 *' }), '2026-05-16T11:00:00Z')).toMatchObject({ state: 'invalid' })
    expect(fire(row({ crontab: null }), '2026-05-16T11:00:00Z')).toMatchObject({ state: 'invalid' })
    expect(fire(row({ type: SCHEDULE_TYPES.interval }), '2026-05-16T11:00:00Z')).toMatchObject({ state: 'invalid' })
    expect(fire(row({ type: 7 }), '2026-05-16T11:00:00Z')).toMatchObject({ state: 'invalid' })
  })
})
