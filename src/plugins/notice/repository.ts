/** `sys_notice`: paged list with fba's filters (title contains, type, status), newest first. */
import { desc } from 'drizzle-orm'
import { filter } from '../../infra/db/filters'
import { Repository, type RepositoryDb } from '../../infra/db/repository'
import { sysNotice } from './schema'

export class NoticeRepository extends Repository<typeof sysNotice> {
  constructor(db: RepositoryDb) {
    super(db, sysNotice, {
      filters: {
        title: filter.like(sysNotice.title),
        type: filter.eq(sysNotice.type),
        status: filter.eq(sysNotice.status),
      },
      sorts: { id: sysNotice.id, created_time: sysNotice.createdTime },
      // fba: `created_time desc`; the id breaks ties between notices created in the same millisecond.
      defaultOrder: [desc(sysNotice.createdTime), desc(sysNotice.id)],
    })
  }
}
