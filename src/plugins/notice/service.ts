/**
 * Notices (docs/fba-compatibility.md, "Notice plugin"): plain CRUD. Updating a missing notice is a 404 (fba answers
 * its "fail" envelope); deleting ids that are already gone is not an error. A notice written with status 1 (shown) is
 * published: `notice.published` (./events.ts) goes in the same batch as the row.
 */
import { eq, exists } from 'drizzle-orm'
import type { Context } from 'hono'
import { NotFoundError } from '../../core/errors'
import { aggregateOf, fillEmitted, keepEmittedIf, NEW_ROW_ID, newRowId } from '../../domains/events/emitted'
import { type EventSink, eventsOf } from '../../domains/events/outbox'
import type { AppEnv } from '../../http/context'
import type { ListResult, RepositoryDb } from '../../infra/db/repository'
import { required } from '../../infra/services'
import type { NoticeBody, NoticeListQuery } from './dto'
import { noticePublished } from './events'
import { NoticeRepository } from './repository'
import { type Notice, sysNotice } from './schema'

export interface NoticeServiceDeps {
  db: RepositoryDb
  /** The request's outbox: events go in the same batch as the rows they describe. */
  events: EventSink
}

export const noticeServiceDeps = (c: Context<AppEnv>): NoticeServiceDeps => ({
  db: required(c.get('services').db, 'database'),
  events: eventsOf(c),
})

/** Status 1: the notice is shown. */
const SHOWN = 1

export class NoticeService {
  readonly notices: NoticeRepository

  constructor(private readonly deps: NoticeServiceDeps) {
    this.notices = new NoticeRepository(deps.db)
  }

  async get(id: number): Promise<Notice> {
    const notice = await this.notices.get(id)
    if (!notice) throw new NotFoundError('notice.not_found')
    return notice
  }

  list(query: NoticeListQuery): Promise<ListResult<Notice>> {
    const { page, size, ...filters } = query
    return this.notices.list({ page, size, filters })
  }

  async create(body: NoticeBody): Promise<Notice> {
    const { db, events } = this.deps
    const newId = newRowId(sysNotice)
    const published =
      body.status === SHOWN
        ? [
            events.emit(db, noticePublished, { notice_id: NEW_ROW_ID, title: body.title, type: body.type }),
            fillEmitted(db, { notice_id: newId }, aggregateOf('notice', newId)),
          ]
        : []
    const [[created]] = await db.batch([this.notices.insertQuery(body).returning(), ...published])
    if (!created) throw new Error('sys_notice insert returned no row')
    return created
  }

  async update(id: number, body: NoticeBody): Promise<Notice> {
    const { db, events } = this.deps
    // Kept only when the notice is there (a missing one is a 404, which publishes nothing).
    const published =
      body.status === SHOWN
        ? [
            events.emit(db, noticePublished, { notice_id: id, title: body.title, type: body.type }, `notice:${id}`),
            keepEmittedIf(db, exists(db.select({ id: sysNotice.id }).from(sysNotice).where(eq(sysNotice.id, id)))),
          ]
        : []
    const [[updated]] = await db.batch([this.notices.updateQuery(id, body).returning(), ...published])
    if (!updated) throw new NotFoundError('notice.not_found')
    return updated
  }

  async delete(ids: readonly number[]): Promise<number> {
    return this.notices.deleteMany([...new Set(ids)])
  }
}
