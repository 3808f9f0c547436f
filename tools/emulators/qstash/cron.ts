/**
 * A small 5-field cron matcher for QStash schedules (`Upstash-Cron`).
 *
 * Supports `*`, lists (`1,5`), ranges (`1-5`), steps (`*\/15`, `1-30/5`, `5/10`), month and weekday
 * names (`JAN`, `mon-fri`), weekday 7 = Sunday, the `@hourly`-style macros and an optional
 * `CRON_TZ=Area/City ` (or `TZ=`) prefix; the default zone is UTC as in QStash.
 * Day-of-month and day-of-week follow Vixie cron: when both are restricted, either may match.
 */

export class CronError extends Error {
  override name = 'CronError'
}

export interface CronSchedule {
  /** The expression as given, prefix included (what the API echoes back). */
  source: string
  timeZone: string
  minutes: boolean[]
  hours: boolean[]
  daysOfMonth: boolean[]
  months: boolean[]
  daysOfWeek: boolean[]
  /** True when the field was `*` (affects the Vixie day-of-month/day-of-week rule). */
  domRestricted: boolean
  dowRestricted: boolean
}

const MACROS: Record<string, string> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
}

const MONTH_NAMES = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec']
const DAY_NAMES = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat']

interface FieldSpec {
  name: string
  min: number
  max: number
  /** Names mapped to values (`jan` → 1). */
  names?: Record<string, number>
}

const FIELDS: FieldSpec[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day-of-month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: Object.fromEntries(MONTH_NAMES.map((n, i) => [n, i + 1])) },
  // 7 is accepted as Sunday and folded onto 0 after parsing.
  { name: 'day-of-week', min: 0, max: 7, names: Object.fromEntries(DAY_NAMES.map((n, i) => [n, i])) },
]

/** Parses an expression; throws `CronError` with a human-readable reason. */
export function parseCron(expression: string): CronSchedule {
  const source = expression.trim()
  let rest = source
  let timeZone = 'UTC'
  const tz = /^(?:CRON_TZ|TZ)=(\S+)\s+/i.exec(rest)
  if (tz) {
    timeZone = tz[1] ?? 'UTC'
    rest = rest.slice(tz[0].length)
    if (!isValidTimeZone(timeZone)) throw new CronError(`unknown time zone '${timeZone}'`)
  }
  rest = MACROS[rest.toLowerCase()] ?? rest
  const parts = rest.split(/\s+/).filter((part) => part !== '')
  if (parts.length !== 5) throw new CronError(`expected 5 fields, got ${parts.length}`)
  const sets = parts.map((part, i) => parseField(part, FIELDS[i] as FieldSpec))
  const [minutes, hours, daysOfMonth, months, dowRaw] = sets as [boolean[], boolean[], boolean[], boolean[], boolean[]]
  const daysOfWeek = dowRaw.slice(0, 7)
  if (dowRaw[7]) daysOfWeek[0] = true
  return {
    source,
    timeZone,
    minutes,
    hours,
    daysOfMonth,
    months,
    daysOfWeek,
    domRestricted: parts[2] !== '*' && parts[2] !== '?',
    dowRestricted: parts[4] !== '*' && parts[4] !== '?',
  }
}

function parseField(text: string, spec: FieldSpec): boolean[] {
  const set: boolean[] = new Array(spec.max + 1).fill(false)
  for (const item of text.split(',')) {
    if (item === '') throw new CronError(`empty list item in ${spec.name} field`)
    const [rangePart = '', stepPart, extra] = item.split('/')
    if (extra !== undefined) throw new CronError(`bad step in ${spec.name} field: '${item}'`)
    let step = 1
    if (stepPart !== undefined) {
      if (!/^\d+$/.test(stepPart)) throw new CronError(`bad step in ${spec.name} field: '${item}'`)
      step = Number(stepPart)
      if (step < 1 || step > spec.max) throw new CronError(`step out of range in ${spec.name} field: '${item}'`)
    }
    let from: number
    let to: number
    if (rangePart === '*' || rangePart === '?') {
      from = spec.min
      to = spec.max === 7 ? 6 : spec.max
    } else if (rangePart.includes('-')) {
      const [a = '', b = '', more] = rangePart.split('-')
      if (more !== undefined) throw new CronError(`bad range in ${spec.name} field: '${item}'`)
      from = parseValue(a, spec)
      to = parseValue(b, spec)
      if (from > to) throw new CronError(`range start after end in ${spec.name} field: '${item}'`)
    } else {
      from = parseValue(rangePart, spec)
      // `5/10` means "from 5 to the end, every 10" (as in Vixie cron and robfig/cron, which QStash uses).
      to = stepPart !== undefined ? spec.max : from
    }
    for (let v = from; v <= to; v += step) set[v] = true
  }
  return set
}

function parseValue(text: string, spec: FieldSpec): number {
  const named = spec.names?.[text.toLowerCase()]
  if (named !== undefined) return named
  if (!/^\d+$/.test(text)) throw new CronError(`bad value '${text}' in ${spec.name} field`)
  const value = Number(text)
  if (value < spec.min || value > spec.max) {
    throw new CronError(`${spec.name} value ${value} out of range ${spec.min}-${spec.max}`)
  }
  return value
}

function isValidTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone })
    return true
  } catch {
    return false
  }
}

/** Wall-clock fields of an instant in a zone. */
interface Fields {
  minute: number
  hour: number
  day: number
  month: number
  weekday: number
}

const formatters = new Map<string, Intl.DateTimeFormat>()
const WEEKDAYS: Record<string, number> = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 }

function fieldsAt(ms: number, timeZone: string): Fields {
  if (timeZone === 'UTC') {
    const d = new Date(ms)
    return {
      minute: d.getUTCMinutes(),
      hour: d.getUTCHours(),
      day: d.getUTCDate(),
      month: d.getUTCMonth() + 1,
      weekday: d.getUTCDay(),
    }
  }
  let format = formatters.get(timeZone)
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      weekday: 'short',
    })
    formatters.set(timeZone, format)
  }
  const fields: Fields = { minute: 0, hour: 0, day: 1, month: 1, weekday: 0 }
  for (const part of format.formatToParts(ms)) {
    if (part.type === 'minute') fields.minute = Number(part.value)
    else if (part.type === 'hour') fields.hour = Number(part.value) % 24
    else if (part.type === 'day') fields.day = Number(part.value)
    else if (part.type === 'month') fields.month = Number(part.value)
    else if (part.type === 'weekday') fields.weekday = WEEKDAYS[part.value] ?? 0
  }
  return fields
}

function dayMatches(schedule: CronSchedule, f: Fields): boolean {
  const dom = schedule.daysOfMonth[f.day] === true
  const dow = schedule.daysOfWeek[f.weekday] === true
  if (schedule.domRestricted && schedule.dowRestricted) return dom || dow
  return dom && dow
}

/** Whether the minute containing `ms` matches the schedule. */
export function cronMatches(schedule: CronSchedule, ms: number): boolean {
  const f = fieldsAt(ms, schedule.timeZone)
  return (
    schedule.months[f.month] === true &&
    dayMatches(schedule, f) &&
    schedule.hours[f.hour] === true &&
    schedule.minutes[f.minute] === true
  )
}

const MINUTE = 60_000

/**
 * First minute strictly after `after` (ms) that matches, or undefined if none within ~5 years
 * (e.g. `0 0 30 2 *`). Skips whole days and hours that cannot match so that sparse schedules stay
 * cheap even in zones where every step costs an `Intl` call.
 */
export function nextCronTime(schedule: CronSchedule, after: number): number | undefined {
  let t = Math.floor(after / MINUTE) * MINUTE + MINUTE
  const limit = t + 5 * 366 * 24 * 60 * MINUTE
  while (t <= limit) {
    const f = fieldsAt(t, schedule.timeZone)
    const minutesToMidnight = 24 * 60 - (f.hour * 60 + f.minute)
    if (schedule.months[f.month] !== true || !dayMatches(schedule, f)) {
      // Land an hour short of local midnight so a 23-hour DST day can never make us overshoot it.
      t += (minutesToMidnight > 60 ? minutesToMidnight - 60 : 60 - f.minute) * MINUTE
      continue
    }
    if (schedule.hours[f.hour] !== true) {
      t += (60 - f.minute) * MINUTE
      continue
    }
    if (schedule.minutes[f.minute] !== true) {
      t += MINUTE
      continue
    }
    return t
  }
  return undefined
}
