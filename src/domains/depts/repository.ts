/**
 * `sys_dept`. Departments are deleted logically (`del_flag`), so every read here means "live" departments unless it
 * says otherwise; the name is unique among live departments (a partial unique index backs the service's check).
 */
import { and, asc, eq, ne, type SQL } from 'drizzle-orm'
import { buildFilters, filter } from '../../infra/db/filters'
import { readBatch } from '../../infra/db/read-batch'
import { type PermissionScope, Repository, type RepositoryDb } from '../../infra/db/repository'
import { sysUser } from '../users/schema'
import { type Dept, sysDept } from './schema'

const live = () => eq(sysDept.delFlag, false)

export interface DeptTreeFilters {
  name?: string | undefined
  leader?: string | undefined
  phone?: string | undefined
  status?: number | undefined
}

export class DeptRepository extends Repository<typeof sysDept> {
  constructor(db: RepositoryDb) {
    super(db, sysDept, {
      filters: {
        name: filter.like(sysDept.name),
        leader: filter.like(sysDept.leader),
        phone: filter.prefix(sysDept.phone),
        status: filter.eq(sysDept.status),
      },
      sorts: { id: sysDept.id, sort: sysDept.sort },
      defaultOrder: [asc(sysDept.sort), asc(sysDept.id)],
    })
  }

  /** A live department (within `scope`, the caller's data permission, when given). */
  getLive(id: number, scope?: PermissionScope): Promise<Dept | undefined> {
    return this.getBy(and(eq(sysDept.id, id), live()), scope)
  }

  /** Live departments matching the filters and the data-permission condition, in `sort` order. */
  listLive(filters: DeptTreeFilters, permission: SQL | undefined): Promise<Dept[]> {
    return this.all(and(live(), buildFilters(this.filters, { ...filters })), { permission })
  }

  /** Whether another live department (not `exceptId`) has this name. */
  nameTaken(name: string, exceptId?: number): Promise<boolean> {
    return this.exists(
      and(live(), eq(sysDept.name, name), exceptId === undefined ? undefined : ne(sysDept.id, exceptId)),
    )
  }

  /** `id` and `parentId` of every live department (for cycle checks). */
  liveLinks(): Promise<{ id: number; parentId: number | null }[]> {
    return this.db.select({ id: sysDept.id, parentId: sysDept.parentId }).from(sysDept).where(live())
  }

  /** Whether any user belongs to the department, and whether it has live children — one round trip. */
  async dependants(id: number): Promise<{ hasUsers: boolean; hasChildren: boolean }> {
    const [users, children] = await readBatch(this.db, [
      this.db.select({ id: sysUser.id }).from(sysUser).where(eq(sysUser.deptId, id)).limit(1),
      this.db
        .select({ id: sysDept.id })
        .from(sysDept)
        .where(and(live(), eq(sysDept.parentId, id)))
        .limit(1),
    ])
    return { hasUsers: users.length > 0, hasChildren: children.length > 0 }
  }
}
