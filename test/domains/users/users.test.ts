/** `/sys/users` reads, create, update, permission toggles and delete (contract §2.2). */
import { eq } from 'drizzle-orm'
import { beforeAll, describe, expect, it } from 'vitest'
import { sysMenu } from '../../../src/domains/menus/schema'
import { sysRole, sysRoleMenu } from '../../../src/domains/roles/schema'
import { sysUser, sysUserPasswordHistory, sysUserRole } from '../../../src/domains/users/schema'
import { call, callJson } from '../../helpers/app'
import { authed, login } from '../../helpers/auth'
import { fileDb, seedFileDatabase } from '../../helpers/database'
import { admin, api, createUser, DATETIME, GOOD_PASSWORD, uniqueName } from './helpers'

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
const DEPT_KEYS = [
  'id',
  'name',
  'parent_id',
  'sort',
  'leader',
  'phone',
  'email',
  'status',
  'del_flag',
  'created_time',
  'updated_time',
]
const ROLE_KEYS = ['id', 'name', 'status', 'is_filter_scopes', 'remark', 'created_time', 'updated_time']

const sorted = (keys: string[]) => [...keys].sort()
const errorsOf = (body: { data: unknown }) =>
  (body.data as { errors: { loc: (string | number)[]; type: string }[] }).errors

describe('GET /sys/users/me', () => {
  it('answers UserInfo plus the department name and role names', async () => {
    const { res, body } = await api('GET', '/api/v1/sys/users/me', await admin())
    expect(res.status).toBe(200)
    expect(body).toMatchObject({ code: 200, msg: 'Request success' })
    const data = body.data as Record<string, unknown>
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
    expect((await call('/api/v1/sys/users/me')).status).toBe(401)
    expect((await authed('/api/v1/sys/users/me', 'garbage')).status).toBe(401)
  })
})

describe('GET /sys/users/{pk} and /sys/users/{pk}/roles', () => {
  it('answers UserWithRelation: the department object and roles with empty menus/scopes', async () => {
    const { res, body } = await api('GET', '/api/v1/sys/users/2', await admin())
    expect(res.status).toBe(200)
    const data = body.data as Record<string, unknown>
    expect(Object.keys(data).sort()).toEqual(sorted([...USER_INFO_KEYS, 'dept', 'roles']))
    expect(data).toMatchObject({ id: 2, username: 'test', is_superuser: false, is_staff: false, dept_id: 1 })
    const dept = data.dept as Record<string, unknown>
    expect(Object.keys(dept).sort()).toEqual(sorted(DEPT_KEYS))
    expect(dept).toMatchObject({ id: 1, name: '测试', parent_id: null, status: 1, del_flag: false, updated_time: null })
    expect(dept.created_time).toMatch(DATETIME)
    const roles = data.roles as Record<string, unknown>[]
    expect(roles).toHaveLength(1)
    expect(Object.keys(roles[0]!).sort()).toEqual(sorted([...ROLE_KEYS, 'menus', 'scopes']))
    expect(roles[0]).toMatchObject({ id: 1, name: '测试', status: 1, is_filter_scopes: true, menus: [], scopes: [] })
  })

  it('is open to any signed-in user, 404 for a missing user, 422 for a non-numeric id', async () => {
    const test = await login('test')
    expect((await api('GET', '/api/v1/sys/users/1', test.accessToken)).res.status).toBe(200)
    const missing = await api('GET', '/api/v1/sys/users/99999', await admin())
    expect(missing.res.status).toBe(404)
    expect(missing.body.msg).toBe('User not found')
    const bad = await api('GET', '/api/v1/sys/users/abc', await admin())
    expect(bad.res.status).toBe(422)
    expect(errorsOf(bad.body)[0]?.loc).toEqual(['path', 'pk'])
  })

  it('lists the roles as RoleDetail[]', async () => {
    const { res, body } = await api('GET', '/api/v1/sys/users/2/roles', await admin())
    expect(res.status).toBe(200)
    const roles = body.data as Record<string, unknown>[]
    expect(roles).toHaveLength(1)
    expect(Object.keys(roles[0]!).sort()).toEqual(sorted(ROLE_KEYS))
    expect(roles[0]).toMatchObject({ id: 1, name: '测试' })
    expect((await api('GET', '/api/v1/sys/users/99999/roles', await admin())).res.status).toBe(404)
  })
})

describe('GET /sys/users', () => {
  it('pages newest first with links that keep the filters', async () => {
    const prefix = uniqueName('pg')
    const made = []
    for (let i = 0; i < 3; i++) made.push(await createUser({ username: `${prefix}_${i}` }))
    const path = `/api/v1/sys/users?username=${prefix}&size=2&page=1`
    const { res, body } = await api('GET', path, await admin())
    expect(res.status).toBe(200)
    const page = body.data as {
      items: Record<string, unknown>[]
      total: number
      page: number
      size: number
      total_pages: number
      links: Record<string, string | null>
    }
    expect(Object.keys(page).sort()).toEqual(['items', 'links', 'page', 'size', 'total', 'total_pages'])
    expect(page).toMatchObject({ total: 3, page: 1, size: 2, total_pages: 2 })
    expect(page.items.map((u) => u.id)).toEqual([made[2]!.id, made[1]!.id])
    expect(Object.keys(page.items[0]!).sort()).toEqual(sorted([...USER_INFO_KEYS, 'dept', 'roles']))
    expect((page.items[0]!.dept as { name: string }).name).toBe('测试')
    expect(page.links).toEqual({
      first: `/api/v1/sys/users?username=${prefix}&page=1&size=2`,
      last: `/api/v1/sys/users?username=${prefix}&page=2&size=2`,
      self: `/api/v1/sys/users?username=${prefix}&page=1&size=2`,
      next: `/api/v1/sys/users?username=${prefix}&page=2&size=2`,
      prev: null,
    })
    const second = await api('GET', `/api/v1/sys/users?username=${prefix}&size=2&page=2`, await admin())
    expect((second.body.data as { items: { id: number }[] }).items.map((u) => u.id)).toEqual([made[0]!.id])
  })

  it('filters by dept, phone (contains) and status; blank values mean no filter', async () => {
    const token = await admin()
    const phoned = await createUser({ phone: '13912345678' })
    const ids = async (query: string) => {
      const { res, body } = await api('GET', `/api/v1/sys/users?size=200&${query}`, token)
      expect(res.status, JSON.stringify(body)).toBe(200)
      return (body.data as { items: { id: number }[] }).items.map((u) => u.id)
    }
    expect(await ids('phone=1234567')).toEqual([phoned.id])
    expect(await ids('dept=1')).toContain(phoned.id)
    expect(await ids('dept=999')).toEqual([])
    expect(await ids('status=1')).toContain(phoned.id)
    expect(await ids('status=0')).not.toContain(phoned.id)
    expect(await ids('status=&dept=&username=')).toContain(1)
    // LIKE wildcards in the value match literally.
    expect(await ids('username=%25')).toEqual([])
  })

  it('validates the query', async () => {
    const token = await admin()
    const bad = await api('GET', '/api/v1/sys/users?status=2', token)
    expect(bad.res.status).toBe(422)
    expect(errorsOf(bad.body)[0]?.loc).toEqual(['query', 'status'])
    expect((await api('GET', '/api/v1/sys/users?size=201', token)).res.status).toBe(422)
    expect((await api('GET', '/api/v1/sys/users?page=0', token)).res.status).toBe(422)
    expect((await api('GET', '/api/v1/sys/users?dept=x', token)).res.status).toBe(422)
  })
})

describe('POST /sys/users', () => {
  it('creates a user with its roles in one go and answers UserWithRelation', async () => {
    const username = uniqueName('new')
    const { res, body } = await api('POST', '/api/v1/sys/users', await admin(), {
      username,
      password: GOOD_PASSWORD,
      email: `${username}@example.com`,
      phone: '13800138000',
      dept_id: 1,
      roles: [1],
    })
    expect(res.status, JSON.stringify(body)).toBe(200)
    const data = body.data as Record<string, unknown>
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
    expect((data.dept as { id: number }).id).toBe(1)
    expect((data.roles as { id: number }[]).map((r) => r.id)).toEqual([1])
    const id = data.id as number
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
    const token = await admin()
    const taken = await api('POST', '/api/v1/sys/users', token, {
      username: 'admin',
      password: GOOD_PASSWORD,
      dept_id: 1,
      roles: [],
    })
    expect(taken.res.status).toBe(409)
    expect(taken.body).toMatchObject({ code: 409, msg: 'Username is already registered' })
    const email = await api('POST', '/api/v1/sys/users', token, {
      username: uniqueName(),
      password: GOOD_PASSWORD,
      email: 'admin@example.com',
      dept_id: 1,
      roles: [],
    })
    expect(email.res.status).toBe(409)
    expect(email.body.msg).toBe('Email is already in use')
  })

  it('404 for a missing department or any missing role; nothing is written', async () => {
    const token = await admin()
    const username = uniqueName()
    const dept = await api('POST', '/api/v1/sys/users', token, {
      username,
      password: GOOD_PASSWORD,
      dept_id: 999,
      roles: [1],
    })
    expect(dept.res.status).toBe(404)
    expect(dept.body.msg).toBe('Department not found')
    const role = await api('POST', '/api/v1/sys/users', token, {
      username,
      password: GOOD_PASSWORD,
      dept_id: 1,
      roles: [1, 999],
    })
    expect(role.res.status).toBe(404)
    expect(role.body.msg).toBe('Role not found')
    expect(await fileDb().select().from(sysUser).where(eq(sysUser.username, username))).toEqual([])
  })

  it('applies the password policy on create (decision #9)', async () => {
    const token = await admin()
    const attempt = (password: string) =>
      api('POST', '/api/v1/sys/users', token, { username: uniqueName(), password, dept_id: 1, roles: [] })
    const empty = await attempt('')
    expect(empty.res.status).toBe(400)
    expect(empty.body.msg).toBe('Password must not be empty')
    expect((await attempt('a1')).body.msg).toBe('Password must be at least 6 characters long')
    expect((await attempt('123456')).body.msg).toBe('Password must contain a letter')
    expect((await attempt('abcdefg')).body.msg).toBe('Password must contain a digit')
    expect((await attempt(`a1${'x'.repeat(31)}`)).body.msg).toBe('Password must be at most 32 characters long')
    expect((await attempt('abcdefg')).res.status).toBe(400)
  })

  it('validates the body field by field', async () => {
    const token = await admin()
    const base = { username: uniqueName(), password: GOOD_PASSWORD, dept_id: 1, roles: [] }
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
    for (const [body, loc] of cases) {
      const { res, body: answer } = await api('POST', '/api/v1/sys/users', token, body)
      expect(res.status, JSON.stringify(body)).toBe(422)
      expect(errorsOf(answer)[0]?.loc).toEqual(loc)
    }
  })

  it('is for superusers only: 403 for a plain user, 401 without a token', async () => {
    const test = await login('test')
    const body = { username: uniqueName(), password: GOOD_PASSWORD, dept_id: 1, roles: [] }
    const denied = await api('POST', '/api/v1/sys/users', test.accessToken, body)
    expect(denied.res.status).toBe(403)
    expect(denied.body.msg).toBe('Permission denied')
    expect((await callJson('/api/v1/sys/users', { method: 'POST' })).res.status).toBe(401)
  })
})

describe('PUT /sys/users/{pk}', () => {
  it('updates the fields and replaces the roles in one batch', async () => {
    const token = await admin()
    const user = await createUser()
    const [role] = await fileDb()
      .insert(sysRole)
      .values({ name: uniqueName('role') })
      .returning()
    const renamed = uniqueName('renamed')
    const { res, body } = await api('PUT', `/api/v1/sys/users/${user.id}`, token, {
      username: renamed,
      nickname: 'Renamed',
      avatar: 'https://cdn.example.com/a.png',
      email: `${renamed}@example.com`,
      phone: '13700000000',
      dept_id: 1,
      roles: [role!.id],
    })
    expect(res.status, JSON.stringify(body)).toBe(200)
    expect(body).toMatchObject({ code: 200, data: null })
    const detail = (await api('GET', `/api/v1/sys/users/${user.id}`, token)).body.data as Record<string, unknown>
    expect(detail).toMatchObject({
      username: renamed,
      nickname: 'Renamed',
      avatar: 'https://cdn.example.com/a.png',
      email: `${renamed}@example.com`,
      phone: '13700000000',
      last_login_time: null, // decision #9: only a login changes it
    })
    expect((detail.roles as { id: number }[]).map((r) => r.id)).toEqual([role!.id])
    // An empty list is a success that removes every role (decision #2).
    const cleared = await api('PUT', `/api/v1/sys/users/${user.id}`, token, {
      username: renamed,
      nickname: 'Renamed',
      roles: [],
    })
    expect(cleared.res.status).toBe(200)
    expect(await fileDb().select().from(sysUserRole).where(eq(sysUserRole.userId, user.id))).toEqual([])
    // Absent optional fields keep their values; an explicit null clears one.
    const after = (await api('GET', `/api/v1/sys/users/${user.id}`, token)).body.data as Record<string, unknown>
    expect(after).toMatchObject({ avatar: 'https://cdn.example.com/a.png', phone: '13700000000', dept_id: 1 })
    await api('PUT', `/api/v1/sys/users/${user.id}`, token, {
      username: renamed,
      nickname: 'Renamed',
      dept_id: null,
      phone: null,
      roles: [],
    })
    const nulled = (await api('GET', `/api/v1/sys/users/${user.id}`, token)).body.data as Record<string, unknown>
    expect(nulled).toMatchObject({ dept_id: null, dept: null, phone: null })
  })

  it("drops the target's cached snapshot so its next request sees the change", async () => {
    const user = await createUser()
    const session = await login(user.username, user.password)
    const before = await api('GET', '/api/v1/sys/users/me', session.accessToken)
    expect((before.body.data as { roles: string[] }).roles).toEqual(['测试'])
    await api('PUT', `/api/v1/sys/users/${user.id}`, await admin(), {
      username: user.username,
      nickname: 'Changed',
      roles: [],
    })
    const after = await api('GET', '/api/v1/sys/users/me', session.accessToken)
    expect(after.body.data).toMatchObject({ nickname: 'Changed', roles: [] })
  })

  it('409 for a taken username or email, 404 for a missing user, department or role', async () => {
    const token = await admin()
    const user = await createUser()
    const base = { username: user.username, nickname: 'n', roles: [] }
    const cases: [Record<string, unknown>, number, string][] = [
      [{ ...base, username: 'test' }, 409, 'Username is already registered'],
      [{ ...base, email: 'test@example.com' }, 409, 'Email is already in use'],
      [{ ...base, dept_id: 999 }, 404, 'Department not found'],
      [{ ...base, roles: [999] }, 404, 'Role not found'],
    ]
    for (const [body, status, msg] of cases) {
      const answer = await api('PUT', `/api/v1/sys/users/${user.id}`, token, body)
      expect(answer.res.status, JSON.stringify(body)).toBe(status)
      expect(answer.body.msg).toBe(msg)
    }
    expect((await api('PUT', '/api/v1/sys/users/99999', token, base)).res.status).toBe(404)
    // Keeping one's own username and email is not a conflict.
    const same = await api('PUT', `/api/v1/sys/users/${user.id}`, token, { ...base, email: null })
    expect(same.res.status).toBe(200)
  })

  it('validates the body and is for superusers only', async () => {
    const token = await admin()
    const missing = await api('PUT', '/api/v1/sys/users/2', token, { username: 'test', roles: [] })
    expect(missing.res.status).toBe(422)
    expect(errorsOf(missing.body)[0]?.loc).toEqual(['body', 'nickname'])
    const avatar = await api('PUT', '/api/v1/sys/users/2', token, {
      username: 'test',
      nickname: 'x',
      avatar: 'not a url',
      roles: [],
    })
    expect(avatar.res.status).toBe(422)
    expect(errorsOf(avatar.body)[0]?.loc).toEqual(['body', 'avatar'])
    const test = await login('test')
    const denied = await api('PUT', '/api/v1/sys/users/2', test.accessToken, {
      username: 'test',
      nickname: 'x',
      roles: [],
    })
    expect(denied.res.status).toBe(403)
  })
})

describe('PUT /sys/users/{pk}/permissions', () => {
  const toggle = async (pk: number, type: string, token?: string) =>
    api('PUT', `/api/v1/sys/users/${pk}/permissions?type=${type}`, token ?? (await admin()))

  it('toggles superuser and staff on the target, and its next request sees it', async () => {
    const user = await createUser()
    const session = await login(user.username, user.password)
    expect((await toggle(user.id, 'superuser')).res.status).toBe(200)
    expect((await toggle(user.id, 'staff')).res.status).toBe(200)
    const me = await api('GET', '/api/v1/sys/users/me', session.accessToken)
    expect(me.body.data).toMatchObject({ is_superuser: true, is_staff: true })
    // The new superuser can now call superuser routes.
    expect((await api('GET', '/api/v1/monitors/sessions', session.accessToken)).res.status).toBe(200)
    await toggle(user.id, 'superuser')
    const back = await api('GET', '/api/v1/sys/users/me', session.accessToken)
    expect(back.body.data).toMatchObject({ is_superuser: false, is_staff: true })
  })

  it('disabling ends every session of the target (access and refresh); enabling lets it log in again', async () => {
    const user = await createUser({ username: uniqueName('dis') })
    const session = await login(user.username, user.password)
    expect((await toggle(user.id, 'status')).res.status).toBe(200)
    expect((await authed('/api/v1/sys/users/me', session.accessToken)).status).toBe(401)
    const refresh = await call('/api/v1/auth/refresh', { method: 'POST', headers: { Cookie: session.refreshCookie } })
    expect(refresh.status).toBe(401)
    const locked = await callJson('/api/v1/auth/login', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ username: user.username, password: user.password }),
    })
    expect(locked.res.status).toBe(403)
    expect(locked.body.msg).toBe('User is locked, please contact the administrator')
    const detail = await api('GET', `/api/v1/sys/users/${user.id}`, await admin())
    expect(detail.body.data).toMatchObject({ status: 0 })
    await toggle(user.id, 'status')
    await login(user.username, user.password)
  })

  it("toggles the target's multi-login flag (decision #17); switching it off keeps only the newest session", async () => {
    const user = await createUser()
    expect((await toggle(user.id, 'multi_login')).res.status).toBe(200)
    expect((await api('GET', `/api/v1/sys/users/${user.id}`, await admin())).body.data).toMatchObject({
      is_multi_login: true,
    })
    const first = await login(user.username, user.password)
    await new Promise((r) => setTimeout(r, 5))
    const second = await login(user.username, user.password)
    expect((await authed('/api/v1/sys/users/me', first.accessToken)).status).toBe(200)
    expect((await toggle(user.id, 'multi_login')).res.status).toBe(200)
    expect((await authed('/api/v1/sys/users/me', first.accessToken)).status).toBe(401)
    expect((await authed('/api/v1/sys/users/me', second.accessToken)).status).toBe(200)
    const me = await api('GET', '/api/v1/sys/users/me', second.accessToken)
    expect(me.body.data).toMatchObject({ is_multi_login: false })
  })

  it('refuses changing yourself (403), a missing user (404), an unknown type (422), a plain user (403)', async () => {
    for (const type of ['superuser', 'staff', 'status', 'multi_login']) {
      const self = await toggle(1, type)
      expect(self.res.status).toBe(403)
      expect(self.body.msg).toBe('You cannot change your own permissions')
    }
    expect((await toggle(99999, 'staff')).res.status).toBe(404)
    const bad = await toggle(2, 'owner')
    expect(bad.res.status).toBe(422)
    expect(errorsOf(bad.body)[0]?.loc).toEqual(['query', 'type'])
    expect((await api('PUT', '/api/v1/sys/users/2/permissions', await admin())).res.status).toBe(422)
    const test = await login('test')
    expect((await toggle(1, 'staff', test.accessToken)).res.status).toBe(403)
    const [admin1] = await fileDb().select().from(sysUser).where(eq(sysUser.id, 1))
    expect(admin1).toMatchObject({ isSuperuser: true, isStaff: true, status: 1 })
  })
})

describe('DELETE /sys/users/{pk}', () => {
  it("deletes the user with its role links and password history, and ends the user's sessions", async () => {
    const user = await createUser()
    const session = await login(user.username, user.password)
    const { res, body } = await api('DELETE', `/api/v1/sys/users/${user.id}`, await admin())
    expect(res.status).toBe(200)
    expect(body).toMatchObject({ code: 200, data: null })
    const db = fileDb()
    expect(await db.select().from(sysUser).where(eq(sysUser.id, user.id))).toEqual([])
    expect(await db.select().from(sysUserRole).where(eq(sysUserRole.userId, user.id))).toEqual([])
    expect(await db.select().from(sysUserPasswordHistory).where(eq(sysUserPasswordHistory.userId, user.id))).toEqual([])
    expect((await authed('/api/v1/sys/users/me', session.accessToken)).status).toBe(401)
    const refresh = await call('/api/v1/auth/refresh', { method: 'POST', headers: { Cookie: session.refreshCookie } })
    expect(refresh.status).toBe(401)
    expect((await api('GET', `/api/v1/sys/users/${user.id}`, await admin())).res.status).toBe(404)
    expect((await api('DELETE', `/api/v1/sys/users/${user.id}`, await admin())).res.status).toBe(404)
  })

  it('needs sys:user:del: 403 for the plain test user, 401 without a token', async () => {
    const user = await createUser()
    const test = await login('test')
    expect((await api('DELETE', `/api/v1/sys/users/${user.id}`, test.accessToken)).res.status).toBe(403)
    expect((await call(`/api/v1/sys/users/${user.id}`, { method: 'DELETE' })).status).toBe(401)
    expect(await fileDb().select().from(sysUser).where(eq(sysUser.id, user.id))).toHaveLength(1)
  })

  it('lets a staff user holding sys:user:del delete plain users but not superusers or itself', async () => {
    const db = fileDb()
    const [role] = await db
      .insert(sysRole)
      .values({ name: uniqueName('deleters') })
      .returning()
    const [menu] = await db.select().from(sysMenu).where(eq(sysMenu.perms, 'sys:user:del'))
    await db.insert(sysRoleMenu).values({ roleId: role!.id, menuId: menu!.id })
    const deleter = await createUser({ roles: [role!.id] })
    await api('PUT', `/api/v1/sys/users/${deleter.id}/permissions?type=staff`, await admin())
    const token = (await login(deleter.username, deleter.password)).accessToken

    const plain = await createUser()
    expect((await api('DELETE', `/api/v1/sys/users/${plain.id}`, token)).res.status).toBe(200)
    const superuser = await api('DELETE', '/api/v1/sys/users/1', token)
    expect(superuser.res.status).toBe(403)
    expect(superuser.body.msg).toBe('Only a superuser can delete a superuser')
    const self = await api('DELETE', `/api/v1/sys/users/${deleter.id}`, token)
    expect(self.res.status).toBe(403)
    expect(self.body.msg).toBe('You cannot delete yourself')
  })

  it('a staff user without the permission gets 403 Permission denied', async () => {
    const user = await createUser()
    await api('PUT', `/api/v1/sys/users/${user.id}/permissions?type=staff`, await admin())
    const token = (await login(user.username, user.password)).accessToken
    const denied = await api('DELETE', '/api/v1/sys/users/2', token)
    expect(denied.res.status).toBe(403)
    expect(denied.body.msg).toBe('Permission denied')
  })
})
