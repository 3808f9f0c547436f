/**
 * Notices (docs/fba-compatibility.md, "Notice plugin"): plain CRUD. Updating a missing notice is a 404 (fba answers
 * its "fail" envelope); deleting ids that are already gone is not an error.
 */
import type { Context } from 'hono'
import { NotFoundError } from '../../core/errors'
import type { AppEnv } from '../../http/context'
import type { ListResult, RepositoryDb } from '../../infra/db/repository'
import { required } from '../../infra/services'
import type { NoticeBody, NoticeListQuery } from './dto'
import { NoticeRepository } from './repository'
import type { Notice } from './schema'

export const noticeServiceDeps = (c: Context<AppEnv>) => ({ db: required(c.get('services').db, 'database') })

export class NoticeService {
  readonly notices: NoticeRepository

  constructor(deps: { db: RepositoryDb }) {
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
    return this.notices.create(body)
  }

  async update(id: number, body: NoticeBody): Promise<Notice> {
    const updated = await this.notices.update(id, body)
    if (!updated) throw new NotFoundError('notice.not_found')
    return updated
  }

  async delete(ids: readonly number[]): Promise<number> {
    return this.notices.deleteMany([...new Set(ids)])
  }
}
