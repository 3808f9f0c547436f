/** `/sys/users` reads, create, update, permission toggles and delete (docs/fba-compatibility.md, "Users"). */
import { eq } from 'drizzle-orm'
import { beforeAll, describe, expect, it } from 'vitest'
import { sysMenu } from '../../../src/domains/menus/schema'
import type { monitorRoutes } from '../../../src/domains/monitors/routes.v1'
import { sysRole, sysRoleMenu } from '../../../src/domains/roles/schema'
import type { PermissionType } from '../../../src/domains/users/dto'
import { sysUser, sysUserPasswordHistory, sysUserRole } from '../../../src/domains/users/schema'
import { login } from '../../helpers/auth'
import { fileDb, seedFileDatabase } from '../../helpers/database'
import { DATETIME, sleep, unique } from '../../helpers/fixtures'
import { answer, api, failure, send } from '../../helpers/harness'
import { attemptLogin, refreshWith } from '../auth/helpers'
import { DEPT_KEYS } from '../depts/helpers'
import { admin, asAdmin, createUser, GOOD_PASSWORD, meStatus, type UpdateUserJson, usersApi } from './helpers'

beforeAll(seedFileDatabase)

const USER_INFO_KEYS = [
  'id',
  'uuid',
  'username',
  'nickname',
  'dept_id',
  'avatar',
  'email',
  'phone',
  'status',
  'is_superuser',
  'is_staff',
  'is_multi_login',
  'join_time',
  'last_login_time',
]
const ROLE_KEYS = ['id', 'name', 'status', 'is_filter_scopes', 'remark', 'created_time', 'updated_time']

const sorted = (keys: string[]) => [...keys].sort()

/** `PUT /sys/users/{pk}/permissions?type=…` as admin (or as `token`). */
const toggle = async (pk: number, type: PermissionType, token?: string) =>
  usersApi(token ?? (await admin())).sys.users[':pk'].permissions.$put({ param: { pk }, query: { type } })

describe('GET /sys/users/me', () => {
  it('answers UserInfo plus the department name and role names', async () => {
    const { status, body, data } = await answer((await asAdmin()).sys.users.me.$get())
    expect(status).toBe(200)
    expect(body).toMatchObject({ code: 200, msg: 'Request success' })
    expect(Object.keys(data).sort()).toEqual(sorted([...USER_INFO_KEYS, 'dept', 'roles']))
    expect(data).toMatchObject({
      id: 1,
      username: 'admin',
      nickname: '用户88888',
      dept_id: 1,
      avatar: null,
      email: 'admin@example.com',
      phone: null,
      status: 1,
      is_superuser: true,
      is_staff: true,
      is_multi_login: true,
      dept: '测试',
      roles: ['测试'],
    })
    expect(data.uuid).toMatch(/^[0-9a-f-]{36}$/)
    expect(data.join_time).toMatch(DATETIME)
    expect(data.last_login_time).toMatch(DATETIME)
  })

  it('is 401 without a token and with a garbage token', async () => {
    expect((await usersApi().sys.users.me.$get()).status).toBe(401)
    expect(await meStatus('garbage')).toBe(401)
  })
})

describe('GET /sys/users/{pk} and /sys/users/{pk}/roles', () => {
  it('answers UserWithRelation: the department object and roles with empty menus/scopes', async () => {
    const { status, data } = await answer((await asAdmin()).sys.users[':pk'].$get({ param: { pk: 2 } }))
    expect(status).toBe(200)
    expect(Object.keys(data).sort()).toEqual(sorted([...USER_INFO_KEYS, 'dept', 'roles']))
    expect(data).toMatchObject({ id: 2, username: 'test', is_superuser: false, is_staff: false, dept_id: 1 })
    const dept = data.dept
    expect(Object.keys(dept!).sort()).toEqual(DEPT_KEYS)
    expect(dept).toMatchObject({ id: 1, name: '测试', parent_id: null, status: 1, del_flag: false, updated_time: null })
    expect(dept!.created_time).toMatch(DATETIME)
    const roles = data.roles
    expect(roles).toHaveLength(1)
    expect(Object.keys(roles[0]!).sort()).toEqual(sorted([...ROLE_KEYS, 'menus', 'scopes']))
    expect(roles[0]).toMatchObject({ id: 1, name: '测试', status: 1, is_filter_scopes: true, menus: [], scopes: [] })
  })

  it('is open to any signed-in user, 404 for a missing user, 422 for a non-numeric id', async () => {
    const test = await login('test')
    expect((await usersApi(test.accessToken).sys.users[':pk'].$get({ param: { pk: 1 } })).status).toBe(200)
    const users = await asAdmin()
    const missing = await failure(users.sys.users[':pk'].$get({ param: { pk: 99999 } }))
    expect(missing.status).toBe(404)
    expect(missing.body.msg).toBe('User not found')
    const bad = await failure(users.sys.users[':pk'].$get({ param: { pk: 'abc' } }))
    expect(bad.status).toBe(422)
    expect(bad.errors[0]?.loc).toEqual(['path', 'pk'])
  })

  it('lists the roles as RoleDetail[]', async () => {
    const users = await asAdmin()
    const { status, data: roles } = await answer(users.sys.users[':pk'].roles.$get({ param: { pk: 2 } }))
    expect(status).toBe(200)
    expect(roles).toHaveLength(1)
    expect(Object.keys(roles[0]!).sort()).toEqual(sorted(ROLE_KEYS))
    expect(roles[0]).toMatchObject({ id: 1, name: '测试' })
    expect((await users.sys.users[':pk'].roles.$get({ param: { pk: 99999 } })).status).toBe(404)
  })
})

describe('GET /sys/users', () => {
  it('pages newest first with links that keep the filters', async () => {
    const prefix = unique('pg')
    const made = []
    for (let i = 0; i < 3; i++) made.push(await createUser({ username: `${prefix}_${i}` }))
    const users = await asAdmin()
    const { status, data: page } = await answer(
      users.sys.users.$get({ query: { username: prefix, size: '2', page: '1' } }),
    )
    expect(status).toBe(200)
    expect(Object.keys(page).sort()).toEqual(['items', 'links', 'page', 'size', 'total', 'total_pages'])
    expect(page).toMatchObject({ total: 3, page: 1, size: 2, total_pages: 2 })
    expect(page.items.map((u) => u.id)).toEqual([made[2]!.id, made[1]!.id])
    expect(Object.keys(page.items[0]!).sort()).toEqual(sorted([...USER_INFO_KEYS, 'dept', 'roles']))
    expect(page.items[0]!.dept?.name).toBe('测试')
    expect(page.links).toEqual({
      first: `/api/v1/sys/users?username=${prefix}&page=1&size=2`,
      last: `/api/v1/sys/users?username=${prefix}&page=2&size=2`,
      self: `/api/v1/sys/users?username=${prefix}&page=1&size=2`,
      next: `/api/v1/sys/users?username=${prefix}&page=2&size=2`,
      prev: null,
    })
    const second = await answer(users.sys.users.$get({ query: { username: prefix, size: '2', page: '2' } }))
    expect(second.data.items.map((u) => u.id)).toEqual([made[0]!.id])
  })

  it('filters by dept, phone (contains) and status; blank values mean no filter', async () => {
    const users = await asAdmin()
    const phoned = await createUser({ phone: '13912345678' })
    const ids = async (query: Record<string, string>) => {
      const { status, body, data } = await answer(users.sys.users.$get({ query: { size: '200', ...query } }))
      expect(status, JSON.stringify(body)).toBe(200)
      return data.items.map((u) => u.id)
    }
    expect(await ids({ phone: '1234567' })).toEqual([phoned.id])
    expect(await ids({ dept: '1' })).toContain(phoned.id)
    expect(await ids({ dept: '999' })).toEqual([])
    expect(await ids({ status: '1' })).toContain(phoned.id)
    expect(await ids({ status: '0' })).not.toContain(phoned.id)
    expect(await ids({ status: '', dept: '', username: '' })).toContain(1)
    // LIKE wildcards in the value match literally.
    expect(await ids({ username: '%' })).toEqual([])
  })

  it('validates the query', async () => {
    const users = await asAdmin()
    const bad = await failure(users.sys.users.$get({ query: { status: '2' } }))
    expect(bad.status).toBe(422)
    expect(bad.errors[0]?.loc).toEqual(['query', 'status'])
    expect((await users.sys.users.$get({ query: { size: '201' } })).status).toBe(422)
    expect((await users.sys.users.$get({ query: { page: '0' } })).status).toBe(422)
    expect((await users.sys.users.$get({ query: { dept: 'x' } })).status).toBe(422)
  })
})

describe('POST /sys/users', () => {
  it('creates a user with its roles in one go and answers UserWithRelation', async () => {
    const username = unique('new')
    const json = {
      username,
      password: GOOD_PASSWORD,
      email: `${username}@example.com`,
      phone: '13800138000',
      dept_id: 1,
      roles: [1],
    }
    const { status, body, data } = await answer((await asAdmin()).sys.users.$post({ json }))
    expect(status, JSON.stringify(body)).toBe(200)
    expect(Object.keys(data).sort()).toEqual(sorted([...USER_INFO_KEYS, 'dept', 'roles']))
    expect(data).toMatchObject({
      username,
      nickname: username, // defaults to the username
      email: `${username}@example.com`,
      phone: '13800138000',
      dept_id: 1,
      status: 1,
      is_superuser: false,
      is_staff: false,
      is_multi_login: false,
      last_login_time: null,
    })
    expect(data.dept?.id).toBe(1)
    expect(data.roles.map((r) => r.id)).toEqual([1])
    const id = data.id
    const db = fileDb()
    expect(await db.select().from(sysUserRole).where(eq(sysUserRole.userId, id))).toHaveLength(1)
    const [row] = await db.select().from(sysUser).where(eq(sysUser.id, id))
    expect(row?.password).toMatch(/^pbkdf2_sha256\$/)
    // The first password is the first history entry.
    expect(await db.select().from(sysUserPasswordHistory).where(eq(sysUserPasswordHistory.userId, id))).toHaveLength(1)
    // …and the user can log in with it.
    await login(username, GOOD_PASSWORD)
  })

  it('accepts an empty role list, an empty email/phone and an explicit nickname', async () => {
    const { data } = await createUser({ roles: [], email: '', phone: '', nickname: 'Nick' })
    expect(data).toMatchObject({ roles: [], email: null, phone: null, nickname: 'Nick' })
  })

  it('409 for a taken username or email', async () => {
    const users = await asAdmin()
    const taken = await failure(
      users.sys.users.$post({ json: { username: 'admin', password: GOOD_PASSWORD, dept_id: 1, roles: [] } }),
    )
    expect(taken.status).toBe(409)
    expect(taken.body).toMatchObject({ code: 409, msg: 'Username is already registered' })
    const email = await failure(
      users.sys.users.$post({
        json: { username: unique(), password: GOOD_PASSWORD, email: 'admin@example.com', dept_id: 1, roles: [] },
      }),
    )
    expect(email.status).toBe(409)
    expect(email.body.msg).toBe('Email is already in use')
  })

  it('404 for a missing department or any missing role; nothing is written', async () => {
    const users = await asAdmin()
    const username = unique()
    const dept = await failure(
      users.sys.users.$post({ json: { username, password: GOOD_PASSWORD, dept_id: 999, roles: [1] } }),
    )
    expect(dept.status).toBe(404)
    expect(dept.body.msg).toBe('Department not found')
    const role = await failure(
      users.sys.users.$post({ json: { username, password: GOOD_PASSWORD, dept_id: 1, roles: [1, 999] } }),
    )
    expect(role.status).toBe(404)
    expect(role.body.msg).toBe('Role not found')
    expect(await fileDb().select().from(sysUser).where(eq(sysUser.username, username))).toEqual([])
  })

  it('applies the password policy on create (D9)', async () => {
    const users = await asAdmin()
    const attempt = (password: string) =>
      failure(users.sys.users.$post({ json: { username: unique(), password, dept_id: 1, roles: [] } }))
    const empty = await attempt('')
    expect(empty.status).toBe(400)
    expect(empty.body.msg).toBe('Password must not be empty')
    expect((await attempt('a1')).body.msg).toBe('Password must be at least 6 characters long')
    expect((await attempt('123456')).body.msg).toBe('Password must contain a letter')
    expect((await attempt('abcdefg')).body.msg).toBe('Password must contain a digit')
    expect((await attempt(`a1${'x'.repeat(31)}`)).body.msg).toBe('Password must be at most 32 characters long')
    expect((await attempt('abcdefg')).status).toBe(400)
  })

  it('validates the body field by field', async () => {
    const token = await admin()
    const base = { username: unique(), password: GOOD_PASSWORD, dept_id: 1, roles: [] }
    const cases: [Record<string, unknown>, (string | number)[]][] = [
      [{ ...base, username: undefined }, ['body', 'username']],
      [{ ...base, username: '' }, ['body', 'username']],
      [{ ...base, username: 'x'.repeat(65) }, ['body', 'username']],
      [{ ...base, password: undefined }, ['body', 'password']],
      [{ ...base, dept_id: undefined }, ['body', 'dept_id']],
      [{ ...base, dept_id: 'one' }, ['body', 'dept_id']],
      [{ ...base, roles: undefined }, ['body', 'roles']],
      [{ ...base, roles: ['a'] }, ['body', 'roles', 0]],
      [{ ...base, email: 'not-an-email' }, ['body', 'email']],
      [{ ...base, phone: '12345' }, ['body', 'phone']],
    ]
    for (const [json, loc] of cases) {
      const { status, errors } = await failure(send('POST', '/api/v1/sys/users', { token, json }))
      expect(status, JSON.stringify(json)).toBe(422)
      expect(errors[0]?.loc).toEqual(loc)
    }
  })

  it('is for superusers only: 403 for a plain user, 401 without a token', async () => {
    const test = await login('test')
    const json = { username: unique(), password: GOOD_PASSWORD, dept_id: 1, roles: [] }
    const denied = await failure(usersApi(test.accessToken).sys.users.$post({ json }))
    expect(denied.status).toBe(403)
    expect(denied.body.msg).toBe('Permission denied')
    expect((await send('POST', '/api/v1/sys/users')).status).toBe(401)
  })
})

describe('PUT /sys/users/{pk}', () => {
  it('updates the fields and replaces the roles in one batch', async () => {
    const users = await asAdmin()
    const user = await createUser()
    const [role] = await fileDb()
      .insert(sysRole)
      .values({ name: unique('role') })
      .returning()
    const renamed = unique('renamed')
    const param = { pk: user.id }
    const update = (json: UpdateUserJson) => users.sys.users[':pk'].$put({ param, json })
    const detail = async () => (await answer(users.sys.users[':pk'].$get({ param }))).data
    const fields = {
      username: renamed,
      nickname: 'Renamed',
      avatar: 'https://cdn.example.com/a.png',
      email: `${renamed}@example.com`,
      phone: '13700000000',
    }
    const { status, body } = await answer(update({ ...fields, dept_id: 1, roles: [role!.id] }))
    expect(status, JSON.stringify(body)).toBe(200)
    expect(body).toMatchObject({ code: 200, data: null })
    const updated = await detail()
    // last_login_time: only a login changes it (docs/fba-compatibility.md, D9).
    expect(updated).toMatchObject({ ...fields, last_login_time: null })
    expect(updated.roles.map((r) => r.id)).toEqual([role!.id])
    // An empty list is a success that removes every role (docs/fba-compatibility.md, D2).
    const cleared = await update({ username: renamed, nickname: 'Renamed', roles: [] })
    expect(cleared.status).toBe(200)
    expect(await fileDb().select().from(sysUserRole).where(eq(sysUserRole.userId, user.id))).toEqual([])
    // Absent optional fields keep their values; an explicit null clears one.
    expect(await detail()).toMatchObject({ avatar: 'https://cdn.example.com/a.png', phone: '13700000000', dept_id: 1 })
    await update({ username: renamed, nickname: 'Renamed', dept_id: null, phone: null, roles: [] })
    expect(await detail()).toMatchObject({ dept_id: null, dept: null, phone: null })
  })

  it("drops the target's cached snapshot so its next request sees the change", async () => {
    const user = await createUser()
    const session = usersApi((await login(user.username, user.password)).accessToken)
    const before = await answer(session.sys.users.me.$get())
    expect(before.data.roles).toEqual(['测试'])
    await (await asAdmin()).sys.users[':pk'].$put({
      param: { pk: user.id },
      json: { username: user.username, nickname: 'Changed', roles: [] },
    })
    const after = await answer(session.sys.users.me.$get())
    expect(after.data).toMatchObject({ nickname: 'Changed', roles: [] })
  })

  it('409 for a taken username or email, 404 for a missing user, department or role', async () => {
    const users = await asAdmin()
    const user = await createUser()
    const base = { username: user.username, nickname: 'n', roles: [] }
    const cases: [UpdateUserJson, number, string][] = [
      [{ ...base, username: 'test' }, 409, 'Username is already registered'],
      [{ ...base, email: 'test@example.com' }, 409, 'Email is already in use'],
      [{ ...base, dept_id: 999 }, 404, 'Department not found'],
      [{ ...base, roles: [999] }, 404, 'Role not found'],
    ]
    for (const [json, status, msg] of cases) {
      const refused = await failure(users.sys.users[':pk'].$put({ param: { pk: user.id }, json }))
      expect(refused.status, JSON.stringify(json)).toBe(status)
      expect(refused.body.msg).toBe(msg)
    }
    expect((await users.sys.users[':pk'].$put({ param: { pk: 99999 }, json: base })).status).toBe(404)
    // Keeping one's own username and email is not a conflict.
    const same = await users.sys.users[':pk'].$put({ param: { pk: user.id }, json: { ...base, email: null } })
    expect(same.status).toBe(200)
  })

  it('validates the body and is for superusers only', async () => {
    const token = await admin()
    const missing = await failure(send('PUT', '/api/v1/sys/users/2', { token, json: { username: 'test', roles: [] } }))
    expect(missing.status).toBe(422)
    expect(missing.errors[0]?.loc).toEqual(['body', 'nickname'])
    const param = { pk: 2 }
    const avatar = await failure(
      usersApi(token).sys.users[':pk'].$put({
        param,
        json: { username: 'test', nickname: 'x', avatar: 'not a url', roles: [] },
      }),
    )
    expect(avatar.status).toBe(422)
    expect(avatar.errors[0]?.loc).toEqual(['body', 'avatar'])
    const test = await login('test')
    const denied = await usersApi(test.accessToken).sys.users[':pk'].$put({
      param,
      json: { username: 'test', nickname: 'x', roles: [] },
    })
    expect(denied.status).toBe(403)
  })
})

describe('PUT /sys/users/{pk}/permissions', () => {
  it('toggles superuser and staff on the target, and its next request sees it', async () => {
    const user = await createUser()
    const { accessToken } = await login(user.username, user.password)
    const session = usersApi(accessToken)
    expect((await toggle(user.id, 'superuser')).status).toBe(200)
    expect((await toggle(user.id, 'staff')).status).toBe(200)
    const me = await answer(session.sys.users.me.$get())
    expect(me.data).toMatchObject({ is_superuser: true, is_staff: true })
    // The new superuser can now call superuser routes.
    const sessions = await api<typeof monitorRoutes>(accessToken).monitors.sessions.$get({ query: {} })
    expect(sessions.status).toBe(200)
    await toggle(user.id, 'superuser')
    const back = await answer(session.sys.users.me.$get())
    expect(back.data).toMatchObject({ is_superuser: false, is_staff: true })
  })

  it('disabling ends every session of the target (access and refresh); enabling lets it log in again', async () => {
    const user = await createUser({ username: unique('dis') })
    const session = await login(user.username, user.password)
    expect((await toggle(user.id, 'status')).status).toBe(200)
    expect(await meStatus(session.accessToken)).toBe(401)
    expect((await refreshWith(session.refreshCookie)).status).toBe(401)
    const locked = await failure(attemptLogin(user.username, user.password))
    expect(locked.status).toBe(403)
    expect(locked.body.msg).toBe('User is locked, please contact the administrator')
    const detail = await answer((await asAdmin()).sys.users[':pk'].$get({ param: { pk: user.id } }))
    expect(detail.data).toMatchObject({ status: 0 })
    await toggle(user.id, 'status')
    await login(user.username, user.password)
  })

  it("toggles the target's multi-login flag (D17); switching it off keeps only the newest session", async () => {
    const user = await createUser()
    expect((await toggle(user.id, 'multi_login')).status).toBe(200)
    const detail = await answer((await asAdmin()).sys.users[':pk'].$get({ param: { pk: user.id } }))
    expect(detail.data).toMatchObject({ is_multi_login: true })
    const first = usersApi((await login(user.username, user.password)).accessToken)
    await sleep(5)
    const second = usersApi((await login(user.username, user.password)).accessToken)
    expect((await first.sys.users.me.$get()).status).toBe(200)
    expect((await toggle(user.id, 'multi_login')).status).toBe(200)
    expect((await first.sys.users.me.$get()).status).toBe(401)
    expect((await second.sys.users.me.$get()).status).toBe(200)
    const me = await answer(second.sys.users.me.$get())
    expect(me.data).toMatchObject({ is_multi_login: false })
  })

  it('refuses changing yourself (403), a missing user (404), an unknown type (422), a plain user (403)', async () => {
    for (const type of ['superuser', 'staff', 'status', 'multi_login'] as const) {
      const self = await failure(toggle(1, type))
      expect(self.status).toBe(403)
      expect(self.body.msg).toBe('You cannot change your own permissions')
    }
    expect((await toggle(99999, 'staff')).status).toBe(404)
    const token = await admin()
    const bad = await failure(send('PUT', '/api/v1/sys/users/2/permissions?type=owner', { token }))
    expect(bad.status).toBe(422)
    expect(bad.errors[0]?.loc).toEqual(['query', 'type'])
    expect((await send('PUT', '/api/v1/sys/users/2/permissions', { token })).status).toBe(422)
    const test = await login('test')
    expect((await toggle(1, 'staff', test.accessToken)).status).toBe(403)
    const [admin1] = await fileDb().select().from(sysUser).where(eq(sysUser.id, 1))
    expect(admin1).toMatchObject({ isSuperuser: true, isStaff: true, status: 1 })
  })
})

describe('DELETE /sys/users/{pk}', () => {
  it("deletes the user with its role links and password history, and ends the user's sessions", async () => {
    const users = await asAdmin()
    const user = await createUser()
    const param = { pk: user.id }
    const session = await login(user.username, user.password)
    const { status, body } = await answer(users.sys.users[':pk'].$delete({ param }))
    expect(status).toBe(200)
    expect(body).toMatchObject({ code: 200, data: null })
    const db = fileDb()
    expect(await db.select().from(sysUser).where(eq(sysUser.id, user.id))).toEqual([])
    expect(await db.select().from(sysUserRole).where(eq(sysUserRole.userId, user.id))).toEqual([])
    expect(await db.select().from(sysUserPasswordHistory).where(eq(sysUserPasswordHistory.userId, user.id))).toEqual([])
    expect(await meStatus(session.accessToken)).toBe(401)
    expect((await refreshWith(session.refreshCookie)).status).toBe(401)
    expect((await users.sys.users[':pk'].$get({ param })).status).toBe(404)
    expect((await users.sys.users[':pk'].$delete({ param })).status).toBe(404)
  })

  it('needs sys:user:del: 403 for the plain test user, 401 without a token', async () => {
    const user = await createUser()
    const param = { pk: user.id }
    const test = await login('test')
    expect((await usersApi(test.accessToken).sys.users[':pk'].$delete({ param })).status).toBe(403)
    expect((await usersApi().sys.users[':pk'].$delete({ param })).status).toBe(401)
    expect(await fileDb().select().from(sysUser).where(eq(sysUser.id, user.id))).toHaveLength(1)
  })

  it('lets a staff user holding sys:user:del delete plain users but not superusers or itself', async () => {
    const db = fileDb()
    // A role that does not filter by data scopes: it sees every user (a filtering role without scopes sees none, so
    // every user would be a 404 to it — test/data-permission-matrix.test.ts).
    const [role] = await db
      .insert(sysRole)
      .values({ name: unique('deleters'), isFilterScopes: false })
      .returning()
    const [menu] = await db.select().from(sysMenu).where(eq(sysMenu.perms, 'sys:user:del'))
    await db.insert(sysRoleMenu).values({ roleId: role!.id, menuId: menu!.id })
    const deleter = await createUser({ roles: [role!.id] })
    await toggle(deleter.id, 'staff')
    const users = usersApi((await login(deleter.username, deleter.password)).accessToken)

    const plain = await createUser()
    expect((await users.sys.users[':pk'].$delete({ param: { pk: plain.id } })).status).toBe(200)
    const superuser = await failure(users.sys.users[':pk'].$delete({ param: { pk: 1 } }))
    expect(superuser.status).toBe(403)
    expect(superuser.body.msg).toBe('Only a superuser can delete a superuser')
    const self = await failure(users.sys.users[':pk'].$delete({ param: { pk: deleter.id } }))
    expect(self.status).toBe(403)
    expect(self.body.msg).toBe('You cannot delete yourself')
  })

  it('a staff user without the permission gets 403 Permission denied', async () => {
    const user = await createUser()
    await toggle(user.id, 'staff')
    const users = usersApi((await login(user.username, user.password)).accessToken)
    const denied = await failure(users.sys.users[':pk'].$delete({ param: { pk: 2 } }))
    expect(denied.status).toBe(403)
    expect(denied.body.msg).toBe('Permission denied')
  })
})
