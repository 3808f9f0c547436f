/**
 * The repository base against the real emulator: reads, paged lists with each filter kind, the sort whitelist,
 * writes (updated_time), and builder queries combined in one all-or-nothing `db.batch`.
 */
import { and, desc, eq, gt, sql } from 'drizzle-orm'
import { beforeAll, describe, expect, it } from 'vitest'
import { BadRequestError } from '../../../src/core/errors'
import { sysLoginLog } from '../../../src/domains/logs/schema'
import { sysRole } from '../../../src/domains/roles/schema'
import { sysUser, sysUserRole } from '../../../src/domains/users/schema'
import { isUniqueViolation } from '../../../src/infra/db/errors'
import { filter } from '../../../src/infra/db/filters'
import { Repository, type RepositoryDb } from '../../../src/infra/db/repository'
import { fileDb, migrateFileDatabase } from '../../helpers/database'

class UserRepository extends Repository<typeof sysUser> {
  constructor(db: RepositoryDb) {
    super(db, sysUser, {
      filters: {
        username: filter.like(sysUser.username),
        phone: filter.prefix(sysUser.phone),
        status: filter.eq(sysUser.status),
        dept: filter.eq(sysUser.deptId),
        ids: filter.in(sysUser.id),
        joined: filter.range(sysUser.joinTime),
        staff: filter.eq(sysUser.isStaff),
        named: filter.custom((v) => sql`${sysUser.nickname} = ${String(v).toUpperCase()}`),
      },
      sorts: { id: sysUser.id, username: sysUser.username, status: sysUser.status, join_time: sysUser.joinTime },
      defaultOrder: [desc(sysUser.id)],
    })
  }
}

const day = (n: number) => new Date(Date.UTC(2026, 0, n, 12))

// 12 users: u01..u12; status alternates 1/0; dept 1 for the first 6, 2 for the rest; joined on Jan 1..12.
const SEED = Array.from({ length: 12 }, (_, i) => {
  const n = i + 1
  const name = `u${String(n).padStart(2, '0')}`
  return {
    username: name,
    nickname: name.toUpperCase(),
    email: `${name}@example.com`,
    phone: n <= 3 ? `1380000000${n}` : `1390000000${n % 10}`,
    status: n % 2,
    deptId: n <= 6 ? 1 : 2,
    isStaff: n === 12,
    joinTime: day(n),
  }
})

let users: UserRepository

beforeAll(async () => {
  await migrateFileDatabase()
  users = new UserRepository(fileDb())
  await fileDb().insert(sysUser).values(SEED)
  await fileDb()
    .insert(sysUser)
    .values([
      { username: 'a_b', nickname: 'underscore' },
      { username: 'axb', nickname: 'plain' },
      { username: '100%', nickname: 'percent' },
      { username: '1000', nickname: 'digits' },
    ])
})

const names = (rows: { username: string }[]) => rows.map((r) => r.username)

describe('reads', () => {
  it('get / getBy (SQL or column values) / getMany / count / exists', async () => {
    const u3 = await users.getBy(eq(sysUser.username, 'u03'))
    expect(u3?.nickname).toBe('U03')
    expect((await users.get(u3?.id as number))?.username).toBe('u03')
    expect(await users.get(99_999)).toBeUndefined()
    expect((await users.getBy({ username: 'u04', status: 0 }))?.id).toBeGreaterThan(0)
    expect(await users.getBy({ username: 'u04', status: 1 })).toBeUndefined()
    expect((await users.getBy({ username: 'a_b', phone: null }))?.nickname).toBe('underscore')
    expect(names(await users.getMany([1, 2, 99_999])).sort()).toEqual(['u01', 'u02'])
    expect(await users.getMany([])).toEqual([])
    expect(await users.count({ deptId: 1 })).toBe(6)
    expect(await users.count()).toBe(16)
    expect(await users.exists({ username: 'u12' })).toBe(true)
    expect(await users.exists({ username: 'nobody' })).toBe(false)
  })

  it('maps columns to JS types (Date, boolean)', async () => {
    const u12 = await users.getBy({ username: 'u12' })
    expect(u12?.joinTime).toEqual(day(12))
    expect(u12?.isStaff).toBe(true)
    expect(u12?.createdTime).toBeInstanceOf(Date)
    expect(u12?.updatedTime).toBeNull()
    expect(u12?.uuid).toMatch(/^[0-9a-f-]{36}$/)
  })

  it('all(): every match in the default order, with an optional sort and permission condition', async () => {
    expect(names(await users.all({ deptId: 2 }))).toEqual(['u12', 'u11', 'u10', 'u09', 'u08', 'u07'])
    expect(names(await users.all({ deptId: 2 }, { sort: 'username' }))).toEqual([
      'u07',
      'u08',
      'u09',
      'u10',
      'u11',
      'u12',
    ])
    const permission = eq(sysUser.status, 1)
    expect(names(await users.all({ deptId: 2 }, { permission, sort: 'id' }))).toEqual(['u07', 'u09', 'u11'])
  })
})

describe('list(): filters', () => {
  const list = (filters: Record<string, unknown>) => users.list({ filters, size: 100, sort: 'id' })

  it('equals (values coerced from query strings)', async () => {
    expect((await list({ status: 1, dept: 1 })).total).toBe(3)
    expect(names((await list({ status: '1', dept: '2' })).items)).toEqual(['u07', 'u09', 'u11'])
    expect(names((await list({ staff: 'true' })).items)).toEqual(['u12'])
  })

  it('like %x% — wildcards in the value match literally', async () => {
    expect(names((await list({ username: 'u1' })).items)).toEqual(['u10', 'u11', 'u12'])
    expect(names((await list({ username: 'U1' })).items)).toEqual(['u10', 'u11', 'u12'])
    expect(names((await list({ username: '_' })).items)).toEqual(['a_b'])
    expect(names((await list({ username: '0%' })).items)).toEqual(['100%'])
  })

  it('prefix x%', async () => {
    expect(names((await list({ phone: '138' })).items)).toEqual(['u01', 'u02', 'u03'])
  })

  it('in: an array or a comma-separated string', async () => {
    expect(names((await list({ ids: [1, 3, 5] })).items)).toEqual(['u01', 'u03', 'u05'])
    expect(names((await list({ ids: '2, 4' })).items)).toEqual(['u02', 'u04'])
  })

  it('range: from/to inclusive, either bound optional, {from,to} or [from,to], dates from strings', async () => {
    expect(names((await list({ joined: { from: day(3), to: day(5) } })).items)).toEqual(['u03', 'u04', 'u05'])
    expect(names((await list({ joined: { from: day(11) }, username: 'u1' })).items)).toEqual(['u11', 'u12'])
    expect(names((await list({ joined: [null, day(2).toISOString()] })).items)).toEqual(['u01', 'u02'])
  })

  it('custom', async () => {
    expect(names((await list({ named: 'u05' })).items)).toEqual(['u05'])
  })

  it('blank values and undeclared fields do not filter', async () => {
    const everyone = (await list({})).total
    expect(everyone).toBe(16)
    expect((await list({ username: '', status: null, ids: [], dept: undefined })).total).toBe(everyone)
    expect((await list({ password: 'x', page: 3 })).total).toBe(everyone)
  })

  it('combines filters, the where condition and the permission condition with AND', async () => {
    const result = await users.list({
      filters: { dept: 2 },
      where: gt(sysUser.id, 8),
      permission: eq(sysUser.status, 1),
      sort: 'id',
    })
    expect(names(result.items)).toEqual(['u09', 'u11'])
    expect(result.total).toBe(2)
  })
})

describe('list(): sort and paging', () => {
  it('uses the default order without a sort', async () => {
    const { items } = await users.list({ filters: { dept: 1 } })
    expect(names(items)).toEqual(['u06', 'u05', 'u04', 'u03', 'u02', 'u01'])
  })

  it('sorts by whitelisted fields: -desc, several, id as the tie-breaker', async () => {
    const desc = await users.list({ filters: { dept: 1 }, sort: '-username' })
    expect(names(desc.items)).toEqual(['u06', 'u05', 'u04', 'u03', 'u02', 'u01'])
    const multi = await users.list({ filters: { dept: 1 }, sort: ['-status', 'username'] })
    expect(names(multi.items)).toEqual(['u01', 'u03', 'u05', 'u02', 'u04', 'u06'])
    const tie = await users.list({ filters: { dept: 1 }, sort: 'status' })
    expect(names(tie.items)).toEqual(['u02', 'u04', 'u06', 'u01', 'u03', 'u05'])
  })

  it('rejects a sort field outside the whitelist (400, listing the allowed fields)', async () => {
    const err = await users.list({ sort: 'password' }).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(BadRequestError)
    expect((err as BadRequestError).data).toEqual({
      sort: 'password',
      allowed: ['id', 'username', 'status', 'join_time'],
    })
    await expect(users.all(undefined, { sort: '-toString' })).rejects.toBeInstanceOf(BadRequestError)
    expect(users.sortFields).toEqual(['id', 'username', 'status', 'join_time'])
  })

  it('pages: total counts every match, items only the page', async () => {
    const query = { filters: { username: 'u' }, sort: 'username' }
    const p1 = await users.list({ ...query, page: 1, size: 5 })
    const p3 = await users.list({ ...query, page: 3, size: 5 })
    const p4 = await users.list({ ...query, page: 4, size: 5 })
    expect(p1.total).toBe(12)
    expect(names(p1.items)).toEqual(['u01', 'u02', 'u03', 'u04', 'u05'])
    expect(p3).toEqual({ total: 12, items: expect.any(Array) })
    expect(names(p3.items)).toEqual(['u11', 'u12'])
    expect(p4).toEqual({ total: 12, items: [] })
  })

  it('defaults to page 1, size 20', async () => {
    const result = await users.list()
    expect(result.total).toBe(16)
    expect(result.items).toHaveLength(16)
    const none = await users.list({ filters: { username: 'zzz' } })
    expect(none).toEqual({ items: [], total: 0 })
  })
})

describe('writes', () => {
  it('create returns the stored row with its defaults', async () => {
    const before = Date.now()
    const row = await users.create({ username: 'new', nickname: 'New' })
    expect(row).toMatchObject({ username: 'new', status: 1, isSuperuser: false, deptId: null, updatedTime: null })
    expect(row.id).toBeGreaterThan(16)
    expect(row.createdTime.getTime()).toBeGreaterThanOrEqual(before - 1000)
    expect(row.joinTime).toBeInstanceOf(Date)
  })

  it('update changes the columns and sets updated_time; unknown id → undefined', async () => {
    const row = await users.create({ username: 'upd', nickname: 'Before' })
    const before = Date.now()
    const updated = await users.update(row.id, { nickname: 'After' })
    expect(updated?.nickname).toBe('After')
    expect(updated?.updatedTime?.getTime()).toBeGreaterThanOrEqual(before - 1000)
    expect(updated?.createdTime).toEqual(row.createdTime)
    expect((await users.get(row.id))?.updatedTime).toEqual(updated?.updatedTime)
    expect(await users.update(99_999, { nickname: 'x' })).toBeUndefined()
  })

  it('update on a table without updated_time leaves it alone', async () => {
    const logs = new Repository(fileDb(), sysLoginLog)
    const log = await logs.create({ userUuid: 'u', username: 'x', ip: '1.1.1.1', msg: 'm', loginTime: day(1) })
    const updated = await logs.update(log.id, { msg: 'changed' })
    expect(updated).toMatchObject({ msg: 'changed' })
    expect(updated).not.toHaveProperty('updatedTime')
  })

  it('delete / deleteMany report what existed', async () => {
    const a = await users.create({ username: 'del-a', nickname: 'a' })
    const b = await users.create({ username: 'del-b', nickname: 'b' })
    const c = await users.create({ username: 'del-c', nickname: 'c' })
    expect(await users.delete(a.id)).toBe(true)
    expect(await users.delete(a.id)).toBe(false)
    expect(await users.deleteMany([b.id, c.id, 99_999])).toBe(2)
    expect(await users.deleteMany([])).toBe(0)
    expect(await users.getMany([a.id, b.id, c.id])).toEqual([])
  })

  it('a unique violation surfaces as a recognisable error', async () => {
    const err = await users.create({ username: 'u01', nickname: 'dup' }).catch((e: unknown) => e)
    expect(isUniqueViolation(err)).toBe(true)
  })
})

describe('builders in one db.batch', () => {
  const roles = () => new Repository(fileDb(), sysRole)
  const userRoles = () => new Repository(fileDb(), sysUserRole)

  it('apply together', async () => {
    const db = fileDb()
    const role = await roles().create({ name: 'batch-ok' })
    const u = await users.create({ username: 'batch-ok', nickname: 'x' })
    await db.batch([
      users.updateQuery(u.id, { nickname: 'batched' }),
      userRoles().insertQuery([{ userId: u.id, roleId: role.id }]),
      roles().updateWhereQuery({ name: 'batch-ok' }, { remark: 'touched' }),
    ])
    expect((await users.get(u.id))?.nickname).toBe('batched')
    expect((await users.get(u.id))?.updatedTime).toBeInstanceOf(Date)
    expect(await userRoles().count({ userId: u.id })).toBe(1)
    expect((await roles().get(role.id))?.remark).toBe('touched')
  })

  it('roll back as a whole when one statement fails', async () => {
    const db = fileDb()
    const role = await roles().create({ name: 'batch-fail' })
    const u = await users.create({ username: 'batch-fail', nickname: 'before' })
    const keep = await users.create({ username: 'batch-keep', nickname: 'k' })
    const err = await db
      .batch([
        users.updateQuery(u.id, { nickname: 'after' }),
        userRoles().insertQuery({ userId: u.id, roleId: role.id }),
        users.deleteManyQuery([keep.id]),
        users.insertQuery({ username: 'u01', nickname: 'duplicate' }), // fails: username taken
      ])
      .catch((e: unknown) => e)
    expect(isUniqueViolation(err)).toBe(true)
    expect((await users.get(u.id))?.nickname).toBe('before')
    expect((await users.get(u.id))?.updatedTime).toBeNull()
    expect(await userRoles().count({ userId: u.id })).toBe(0)
    expect(await users.get(keep.id)).toBeDefined()
  })

  it('deleteWhereQuery refuses an empty condition', () => {
    expect(() => userRoles().deleteWhereQuery(undefined)).toThrow(/needs a condition/)
    expect(() => userRoles().deleteWhereQuery({})).toThrow(/needs a condition/)
    expect(
      userRoles()
        .deleteWhereQuery(and(eq(sysUserRole.userId, 1)))
        .toSQL().sql,
    ).toContain('delete from')
  })
})

describe('the data-permission scope on reads, updates and deletes', () => {
  // The caller may see the users of dept 3 only; `hidden` is in dept 4.
  const scope = { permission: eq(sysUser.deptId, 3) }

  it('treats a row outside the scope exactly like a missing one', async () => {
    const seen = await users.create({ username: 'scope-seen', nickname: 'seen', deptId: 3 })
    const hidden = await users.create({ username: 'scope-hidden', nickname: 'hidden', deptId: 4 })
    expect((await users.get(seen.id, scope))?.username).toBe('scope-seen')
    expect(await users.get(hidden.id, scope)).toBeUndefined()
    expect(await users.getBy({ username: 'scope-hidden' }, scope)).toBeUndefined()
    expect(names(await users.getMany([seen.id, hidden.id], scope))).toEqual(['scope-seen'])
    expect(await users.count({ nickname: 'hidden' }, scope)).toBe(0)
    expect(await users.exists({ id: hidden.id }, scope)).toBe(false)
    expect(await users.update(hidden.id, { nickname: 'changed' }, scope)).toBeUndefined()
    await users.updateWhereQuery({ id: hidden.id }, { nickname: 'changed' }, scope)
    expect(await users.delete(hidden.id, scope)).toBe(false)
    await users.deleteWhereQuery({ id: hidden.id }, scope)
    expect(await users.deleteMany([seen.id, hidden.id], scope)).toBe(1)
    // Untouched through all of that, and still there for an unrestricted caller.
    expect(await users.get(hidden.id)).toEqual(hidden)
    expect(await users.get(seen.id)).toBeUndefined()
  })
})
