/** Schedules: create/upsert (`POST /v2/schedules/{destination}`), list, get, delete, pause/resume. */
import { HttpError, readBody, sendJson } from '../../shared/http'
import { scheduleSpec, specForStorage } from '../core'
import { CronError, parseCron } from '../cron'
import { headersFromNode, NAME_PATTERN, parsePublishSpec } from '../headers'
import { newId } from '../ids'
import type { ScheduleRecord } from '../store'
import { scheduleView } from '../views'
import { type ApiContext, MAX_BODY_BYTES, notFound, sendEmpty } from './context'
import { extractDestination } from './publish'

function view(record: ScheduleRecord): Record<string, unknown> {
  const spec = scheduleSpec(record)
  return scheduleView({
    ...spec,
    id: record.id,
    cron: record.cron,
    destination: record.destination,
    paused: record.paused,
    callerIp: record.callerIp,
    createdAt: record.createdAt,
    lastScheduleTime: record.lastScheduleTime,
    nextRunAt: record.nextRunAt,
  })
}

export async function createSchedule(ctx: ApiContext, rest: string): Promise<void> {
  const destination = extractDestination(rest)
  const headers = headersFromNode(ctx.req.headers)
  const cron = headers.get('upstash-cron')?.trim()
  if (!cron) throw new HttpError(400, { error: 'Upstash-Cron header is required' })
  try {
    parseCron(cron)
  } catch (err) {
    throw new HttpError(400, {
      error: `invalid Upstash-Cron: ${err instanceof CronError ? err.message : 'bad expression'}`,
    })
  }
  const requestedId = headers.get('upstash-schedule-id')?.trim()
  if (requestedId !== undefined && requestedId !== '' && !NAME_PATTERN.test(requestedId)) {
    throw new HttpError(400, { error: 'Upstash-Schedule-Id may only contain letters, digits, -, _ and .' })
  }
  const body = await readBody(ctx.req, MAX_BODY_BYTES)
  const spec = parsePublishSpec(headers, body)
  const core = ctx.core
  core.resolveDestination(destination) // 400 now rather than silently never firing
  const nextRunAt = core.nextRunFor(cron)
  if (nextRunAt === null) throw new HttpError(400, { error: 'Upstash-Cron never matches a date' })
  const id = requestedId || newId('scd')
  const existing = core.store.getSchedule(id)
  // An upsert keeps a paused schedule paused.
  const paused = existing?.paused ?? false
  core.store.upsertSchedule(
    {
      id,
      cron,
      destination,
      spec: specForStorage(spec),
      body,
      paused,
      callerIp: ctx.callerIp,
      nextRunAt: paused ? null : nextRunAt,
    },
    core.clock.now(),
  )
  sendJson(ctx.res, 200, { scheduleId: id })
}

export function listSchedules(ctx: ApiContext): void {
  sendJson(ctx.res, 200, ctx.core.store.listSchedules().map(view))
}

export function getSchedule(ctx: ApiContext, id: string): void {
  const record = ctx.core.store.getSchedule(id)
  if (!record) throw notFound('schedule')
  sendJson(ctx.res, 200, view(record))
}

export function deleteSchedule(ctx: ApiContext, id: string): void {
  if (!ctx.core.store.deleteSchedule(id)) throw notFound('schedule')
  sendEmpty(ctx.res)
}

export function pauseSchedule(ctx: ApiContext, id: string, paused: boolean): void {
  const core = ctx.core
  const record = core.store.getSchedule(id)
  if (!record) throw notFound('schedule')
  let next: number | null = null
  if (!paused) {
    try {
      next = core.nextRunFor(record.cron)
    } catch {
      next = null
    }
  }
  core.store.setSchedulePaused(id, paused, next, core.clock.now())
  sendEmpty(ctx.res)
}
