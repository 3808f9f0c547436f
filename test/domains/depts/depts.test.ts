/**
 * `/sys/depts` (docs/fba-compatibility.md, "Departments"): tree, detail, create, update (no cycles), logical delete,
 * access.
 */
import type { z } from '@hono/zod-openapi'
import { eq } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { type DeptBodySchema, type DeptTree, DeptTreeSchema } from '../../../src/domains/depts/dto'
import type { deptRoutes } from '../../../src/domains/depts/routes.v1'
import { sysDept } from '../../../src/domains/depts/schema'
import { sysUser } from '../../../src/domains/users/schema'
import { seedAndSignIn } from '../../helpers/auth'
import { fileDb } from '../../helpers/database'
import { DATETIME, unique } from '../../helpers/fixtures'
import { answer, api, failure, send } from '../../helpers/harness'
import { DEPT_KEYS, expectInvalidBodies, pk, treeOf } from './helpers'

const tokens = seedAndSignIn()

const BASE = '/api/v1/sys/depts'

/** The `/sys/depts` routes, signed in as `user` (anonymous without one). */
const depts = (user?: 'admin' | 'test', headers?: Record<string, string>) =>
  api<typeof deptRoutes>(user && tokens[user], { headers }).sys.depts

/** Creates a department as admin and returns its id. */
async function createDept(fields: Partial<z.input<typeof DeptBodySchema>> = {}): Promise<number> {
  const name = fields.name ?? unique('dept')
  const { status, body } = await answer(depts('admin').$post({ json: { name, status: 1, ...fields } }))
  expect(status, JSON.stringify(body)).toBe(200)
  expect(body.data).toBeNull()
  const [row] = await fileDb().select().from(sysDept).where(eq(sysDept.name, name)).orderBy(sysDept.id)
  return row!.id
}

/** The department tree as `user` sees it, typed all the way down. */
async function treeAs(user: 'admin' | 'test') {
  const { status, data } = await answer(depts(user).$get({ query: {} }))
  return { status, tree: treeOf(DeptTreeSchema, data) }
}

function find(nodes: DeptTree[] | null, id: number): DeptTree | undefined {
  for (const node of nodes ?? []) {
    if (node.id === id) return node
    const inner = find(node.children, id)
    if (inner) return inner
  }
  return undefined
}

describe('access', () => {
  it('needs a token for reads and writes', async () => {
    const anonymous = depts()
    expect((await failure(anonymous.$get({ query: {} }))).status).toBe(401)
    expect((await failure(anonymous[':pk'].$get(pk(1)))).status).toBe(401)
    expect((await failure(anonymous.$post({ json: { name: 'x', status: 1 } }))).status).toBe(401)
    expect((await failure(anonymous[':pk'].$put({ ...pk(1), json: { name: 'x', status: 1 } }))).status).toBe(401)
    expect((await failure(anonymous[':pk'].$delete(pk(1)))).status).toBe(401)
  })

  it('lets the seeded test user read but not write', async () => {
    const test = depts('test')
    expect((await answer(test.$get({ query: {} }))).status).toBe(200)
    expect((await answer(test[':pk'].$get(pk(1)))).status).toBe(200)
    const payload = { name: 'x', status: 1 }
    for (const [method, path, request] of [
      ['POST', BASE, () => test.$post({ json: payload })],
      ['PUT', `${BASE}/1`, () => test[':pk'].$put({ ...pk(1), json: payload })],
      ['DELETE', `${BASE}/1`, () => test[':pk'].$delete(pk(1))],
    ] as const) {
      const { status, body } = await failure(request())
      expect(status, `${method} ${path}`).toBe(403)
      expect(body.code).toBe(403)
    }
  })

  it('documents the access of every route', async () => {
    const doc = await (await send('GET', '/api/v1/openapi.json')).json()
    expect(doc).toMatchObject({
      paths: {
        '/sys/depts': { get: { 'x-access': 'authenticated' }, post: { 'x-access': 'sys:dept:add' } },
        '/sys/depts/{pk}': {
          get: { 'x-access': 'authenticated' },
          put: { 'x-access': 'sys:dept:edit' },
          delete: { 'x-access': 'sys:dept:del' },
        },
      },
    })
  })
})

describe('GET /sys/depts', () => {
  it('answers the tree in DeptTree shape, children null on leaves, siblings by sort', async () => {
    const parent = await createDept({ parent_id: 1, sort: 5 })
    const late = await createDept({ parent_id: parent, sort: 9 })
    const early = await createDept({ parent_id: parent, sort: 1 })
    const { status, tree } = await treeAs('admin')
    expect(status).toBe(200)
    const root = tree.find((n) => n.id === 1)!
    expect(Object.keys(root).sort()).toEqual([...DEPT_KEYS, 'children'].sort())
    expect(root).toMatchObject({ name: '测试', parent_id: null, del_flag: false, status: 1 })
    expect(root.created_time).toMatch(DATETIME)
    const node = find(tree, parent)!
    expect(node.parent_id).toBe(1)
    expect(node.children?.map((c) => c.id)).toEqual([early, late])
    expect(find(tree, early)?.children).toBeNull()
  })

  it('filters by name and leader (contains), phone (prefix) and status; a match whose parent is filtered out is a root', async () => {
    const name = unique('filter')
    const id = await createDept({ parent_id: 1, name, leader: 'Grace Hopper', phone: '13912345678', status: 0 })
    const admin = depts('admin')
    const ids = async (query: { name?: string; leader?: string; phone?: string; status?: string }) =>
      (await answer(admin.$get({ query }))).data.map((n) => n.id)
    expect(await ids({ name: name.slice(2, 10) })).toEqual([id])
    expect(await ids({ leader: 'hopper' })).toEqual([id])
    expect(await ids({ phone: '139123' })).toEqual([id])
    expect(await ids({ phone: '2345' })).toEqual([])
    expect(await ids({ status: '0' })).toEqual([id])
    expect(await ids({ status: '1' })).toContain(1)
    expect(await ids({ status: '1' })).not.toContain(id)
    expect(await ids({ name: '', leader: '' })).toContain(1)
  })

  it('leaves deleted departments out', async () => {
    const id = await createDept({ parent_id: 1 })
    expect((await answer(depts('admin')[':pk'].$delete(pk(id)))).status).toBe(200)
    expect(find((await treeAs('admin')).tree, id)).toBeUndefined()
  })

  it('validates the query', async () => {
    const { status, errors } = await failure(depts('admin').$get({ query: { status: '3' } }))
    expect(status).toBe(422)
    expect(errors[0]?.loc).toEqual(['query', 'status'])
  })
})

describe('GET /sys/depts/{pk}', () => {
  it('answers DeptDetail', async () => {
    const { status, data } = await answer(depts('admin')[':pk'].$get(pk(1)))
    expect(status).toBe(200)
    expect(Object.keys(data).sort()).toEqual(DEPT_KEYS)
    expect(data).toMatchObject({ id: 1, name: '测试', parent_id: null, updated_time: null })
  })

  it('is 404 for a missing or deleted department, 422 for a bad id', async () => {
    const admin = depts('admin')
    const missing = await failure(admin[':pk'].$get(pk(99999)))
    expect(missing.status).toBe(404)
    expect(missing.body.msg).toBe('Department not found')
    const id = await createDept()
    await admin[':pk'].$delete(pk(id))
    expect((await failure(admin[':pk'].$get(pk(id)))).status).toBe(404)
    expect((await failure(admin[':pk'].$get(pk('abc')))).status).toBe(422)
  })
})

describe('POST /sys/depts', () => {
  it('creates a department with defaults', async () => {
    const name = unique('dept')
    const id = await createDept({ name, email: '', phone: '' })
    const { data } = await answer(depts('admin')[':pk'].$get(pk(id)))
    expect(data).toMatchObject({
      name,
      parent_id: null,
      sort: 0,
      leader: null,
      phone: null,
      email: null,
      status: 1,
    })
  })

  it('validates the body', async () => {
    await expectInvalidBodies(BASE, tokens.admin, [
      [{ status: 1 }, 'name'],
      [{ name: 'x' }, 'status'],
      [{ name: 'x', status: 2 }, 'status'],
      [{ name: 'x', status: 1, phone: '12345' }, 'phone'],
      [{ name: 'x', status: 1, email: 'nope' }, 'email'],
      [{ name: 'x', status: 1, sort: -1 }, 'sort'],
      [{ name: 'x'.repeat(65), status: 1 }, 'name'],
    ])
  })

  it('is 409 for a name a live department has, and frees the name once deleted', async () => {
    const admin = depts('admin')
    const name = unique('dept')
    const id = await createDept({ name })
    const dup = await failure(admin.$post({ json: { name, status: 1 } }))
    expect(dup.status).toBe(409)
    expect(dup.body.msg).toBe('Department name already exists')
    await admin[':pk'].$delete(pk(id))
    expect((await answer(admin.$post({ json: { name, status: 1 } }))).status).toBe(200)
  })

  it('is 404 for a missing or deleted parent', async () => {
    const admin = depts('admin')
    const missing = await failure(admin.$post({ json: { name: unique('dept'), status: 1, parent_id: 99999 } }))
    expect(missing.status).toBe(404)
    expect(missing.body.msg).toBe('Parent department not found')
    const gone = await createDept()
    await admin[':pk'].$delete(pk(gone))
    expect((await failure(admin.$post({ json: { name: unique('dept'), status: 1, parent_id: gone } }))).status).toBe(
      404,
    )
  })

  it('answers in Chinese when asked', async () => {
    const zh = depts('admin', { 'Accept-Language': 'zh-CN' })
    const res = await failure(zh.$post({ json: { name: '测试', status: 1 } }))
    expect(res.status).toBe(409)
    expect(res.body.msg).toBe('部门名称已存在')
  })
})

describe('PUT /sys/depts/{pk}', () => {
  it('updates every field and sets updated_time', async () => {
    const id = await createDept({ parent_id: 1 })
    const name = unique('renamed')
    const payload = {
      name,
      parent_id: null,
      sort: 3,
      leader: 'Ada',
      phone: '13800138000',
      email: 'a@example.com',
      status: 0,
    }
    const admin = depts('admin')
    expect((await answer(admin[':pk'].$put({ ...pk(id), json: payload }))).status).toBe(200)
    const { data } = await answer(admin[':pk'].$get(pk(id)))
    expect(data).toMatchObject(payload)
    expect(data.updated_time).toMatch(DATETIME)
  })

  it('keeps its own name without a conflict, is 409 for another live department name', async () => {
    const admin = depts('admin')
    const name = unique('dept')
    const id = await createDept({ name })
    expect((await answer(admin[':pk'].$put({ ...pk(id), json: { name, status: 1 } }))).status).toBe(200)
    const conflict = await failure(admin[':pk'].$put({ ...pk(id), json: { name: '测试', status: 1 } }))
    expect(conflict.status).toBe(409)
  })

  it('is 404 for a missing department or parent', async () => {
    const admin = depts('admin')
    const missing = await failure(admin[':pk'].$put({ ...pk(99999), json: { name: unique('dept'), status: 1 } }))
    expect(missing.status).toBe(404)
    expect(missing.body.msg).toBe('Department not found')
    const id = await createDept()
    const parent = await failure(
      admin[':pk'].$put({ ...pk(id), json: { name: unique('dept'), status: 1, parent_id: 99999 } }),
    )
    expect(parent.status).toBe(404)
    expect(parent.body.msg).toBe('Parent department not found')
  })

  it('refuses itself or one of its descendants as parent', async () => {
    const admin = depts('admin')
    const move = (id: number, parent_id: number) =>
      admin[':pk'].$put({ ...pk(id), json: { name: unique('dept'), status: 1, parent_id } })
    const top = await createDept()
    const middle = await createDept({ parent_id: top })
    const bottom = await createDept({ parent_id: middle })
    const self = await failure(move(top, top))
    expect(self.status).toBe(403)
    expect(self.body.msg).toBe('A department cannot be its own parent')
    for (const descendant of [middle, bottom]) {
      const cycle = await failure(move(top, descendant))
      expect(cycle.status).toBe(403)
      expect(cycle.body.msg).toBe('A department cannot be moved under one of its own sub-departments')
    }
    const [row] = await fileDb().select().from(sysDept).where(eq(sysDept.id, top))
    expect(row?.parentId).toBeNull()
    // Moving a department under a sibling branch is fine.
    const other = await createDept()
    expect((await answer(move(middle, other))).status).toBe(200)
    expect((await answer(move(top, bottom))).status).toBe(200)
  })
})

describe('DELETE /sys/depts/{pk}', () => {
  it('deletes logically', async () => {
    const id = await createDept()
    const { status, body } = await answer(depts('admin')[':pk'].$delete(pk(id)))
    expect(status).toBe(200)
    expect(body.data).toBeNull()
    const [row] = await fileDb().select().from(sysDept).where(eq(sysDept.id, id))
    expect(row?.delFlag).toBe(true)
    expect(row?.updatedTime).toBeInstanceOf(Date)
  })

  it('is 409 while users belong to it (even disabled ones)', async () => {
    const admin = depts('admin')
    const dup = await failure(admin[':pk'].$delete(pk(1)))
    expect(dup.status).toBe(409)
    expect(dup.body.msg).toBe('The department has users and cannot be deleted')
    const id = await createDept()
    await fileDb()
      .insert(sysUser)
      .values({ username: unique('u'), nickname: 'n', deptId: id, status: 0 })
    expect((await failure(admin[':pk'].$delete(pk(id)))).status).toBe(409)
  })

  it('is 409 while live sub-departments exist, fine once they are deleted', async () => {
    const admin = depts('admin')
    const parent = await createDept()
    const child = await createDept({ parent_id: parent })
    const refused = await failure(admin[':pk'].$delete(pk(parent)))
    expect(refused.status).toBe(409)
    expect(refused.body.msg).toBe('The department has sub-departments and cannot be deleted')
    expect((await answer(admin[':pk'].$delete(pk(child)))).status).toBe(200)
    expect((await answer(admin[':pk'].$delete(pk(parent)))).status).toBe(200)
  })

  it('is 404 for a missing or already deleted department', async () => {
    const admin = depts('admin')
    expect((await failure(admin[':pk'].$delete(pk(99999)))).status).toBe(404)
    const id = await createDept()
    await admin[':pk'].$delete(pk(id))
    expect((await failure(admin[':pk'].$delete(pk(id)))).status).toBe(404)
  })
})
