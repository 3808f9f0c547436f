/** `/sys/depts` (contract §2.5): tree, detail, create, update (no cycles), logical delete, access. */
import { eq } from 'drizzle-orm'
import { beforeAll, describe, expect, it } from 'vitest'
import { sysDept } from '../../../src/domains/depts/schema'
import { sysUser } from '../../../src/domains/users/schema'
import { type Body, jsonInit } from '../../helpers/app'
import { authed } from '../../helpers/auth'
import { fileDb, seedFileDatabase } from '../../helpers/database'
import { api, DATETIME, DEPT_KEYS, errorsOf, tokenOf } from './helpers'

beforeAll(seedFileDatabase)

const BASE = '/api/v1/sys/depts'

interface TreeNode {
  id: number
  name: string
  parent_id: number | null
  sort: number
  children: TreeNode[] | null
  [key: string]: unknown
}

let counter = 0
const unique = (prefix = 'dept') => `${prefix}-${++counter}-${crypto.randomUUID().slice(0, 6)}`

/** Creates a department as admin and returns its id. */
async function createDept(fields: Record<string, unknown> = {}): Promise<number> {
  const name = (fields.name as string | undefined) ?? unique()
  const { res, body } = await api('POST', BASE, await tokenOf('admin'), { name, status: 1, ...fields })
  expect(res.status, JSON.stringify(body)).toBe(200)
  expect(body.data).toBeNull()
  const [row] = await fileDb().select().from(sysDept).where(eq(sysDept.name, name)).orderBy(sysDept.id)
  return row!.id
}

function find(nodes: TreeNode[] | null, id: number): TreeNode | undefined {
  for (const node of nodes ?? []) {
    if (node.id === id) return node
    const inner = find(node.children, id)
    if (inner) return inner
  }
  return undefined
}

describe('access', () => {
  it('needs a token for reads and writes', async () => {
    expect((await api('GET', BASE, undefined)).res.status).toBe(401)
    expect((await api('GET', `${BASE}/1`, undefined)).res.status).toBe(401)
    expect((await api('POST', BASE, undefined, { name: 'x', status: 1 })).res.status).toBe(401)
    expect((await api('PUT', `${BASE}/1`, undefined, { name: 'x', status: 1 })).res.status).toBe(401)
    expect((await api('DELETE', `${BASE}/1`, undefined)).res.status).toBe(401)
  })

  it('lets the seeded test user read but not write', async () => {
    const token = await tokenOf('test')
    expect((await api('GET', BASE, token)).res.status).toBe(200)
    expect((await api('GET', `${BASE}/1`, token)).res.status).toBe(200)
    for (const [method, path] of [
      ['POST', BASE],
      ['PUT', `${BASE}/1`],
      ['DELETE', `${BASE}/1`],
    ] as const) {
      const { res, body } = await api(method, path, token, method === 'DELETE' ? undefined : { name: 'x', status: 1 })
      expect(res.status, `${method} ${path}`).toBe(403)
      expect(body.code).toBe(403)
    }
  })

  it('documents the access of every route', async () => {
    const res = await api('GET', '/api/v1/openapi.json', undefined)
    const doc = res.body as unknown as { paths: Record<string, Record<string, { 'x-access': string }>> }
    expect(doc.paths['/sys/depts']?.get?.['x-access']).toBe('authenticated')
    expect(doc.paths['/sys/depts']?.post?.['x-access']).toBe('sys:dept:add')
    expect(doc.paths['/sys/depts/{pk}']?.get?.['x-access']).toBe('authenticated')
    expect(doc.paths['/sys/depts/{pk}']?.put?.['x-access']).toBe('sys:dept:edit')
    expect(doc.paths['/sys/depts/{pk}']?.delete?.['x-access']).toBe('sys:dept:del')
  })
})

describe('GET /sys/depts', () => {
  it('answers the tree in DeptTree shape, children null on leaves, siblings by sort', async () => {
    const parent = await createDept({ parent_id: 1, sort: 5 })
    const late = await createDept({ parent_id: parent, sort: 9 })
    const early = await createDept({ parent_id: parent, sort: 1 })
    const { res, body } = await api('GET', BASE, await tokenOf('admin'))
    expect(res.status).toBe(200)
    const tree = body.data as TreeNode[]
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
    const admin = await tokenOf('admin')
    const ids = async (query: string) =>
      ((await api('GET', `${BASE}?${query}`, admin)).body.data as TreeNode[]).map((n) => n.id)
    expect(await ids(`name=${encodeURIComponent(name.slice(2, 10))}`)).toEqual([id])
    expect(await ids('leader=hopper')).toEqual([id])
    expect(await ids('phone=139123')).toEqual([id])
    expect(await ids('phone=2345')).toEqual([])
    expect(await ids('status=0')).toEqual([id])
    expect(await ids('status=1')).toContain(1)
    expect(await ids('status=1')).not.toContain(id)
    expect(await ids('name=&leader=')).toContain(1)
  })

  it('leaves deleted departments out', async () => {
    const id = await createDept({ parent_id: 1 })
    const admin = await tokenOf('admin')
    expect((await api('DELETE', `${BASE}/${id}`, admin)).res.status).toBe(200)
    const tree = (await api('GET', BASE, admin)).body.data as TreeNode[]
    expect(find(tree, id)).toBeUndefined()
  })

  it('validates the query', async () => {
    const { res, body } = await api('GET', `${BASE}?status=3`, await tokenOf('admin'))
    expect(res.status).toBe(422)
    expect(errorsOf(body)[0]?.loc).toEqual(['query', 'status'])
  })
})

describe('GET /sys/depts/{pk}', () => {
  it('answers DeptDetail', async () => {
    const { res, body } = await api('GET', `${BASE}/1`, await tokenOf('admin'))
    expect(res.status).toBe(200)
    expect(Object.keys(body.data as object).sort()).toEqual(DEPT_KEYS)
    expect(body.data).toMatchObject({ id: 1, name: '测试', parent_id: null, updated_time: null })
  })

  it('is 404 for a missing or deleted department, 422 for a bad id', async () => {
    const admin = await tokenOf('admin')
    const missing = await api('GET', `${BASE}/99999`, admin)
    expect(missing.res.status).toBe(404)
    expect(missing.body.msg).toBe('Department not found')
    const id = await createDept()
    await api('DELETE', `${BASE}/${id}`, admin)
    expect((await api('GET', `${BASE}/${id}`, admin)).res.status).toBe(404)
    expect((await api('GET', `${BASE}/abc`, admin)).res.status).toBe(422)
  })
})

describe('POST /sys/depts', () => {
  it('creates a department with defaults', async () => {
    const name = unique()
    const id = await createDept({ name, email: '', phone: '' })
    const { body } = await api('GET', `${BASE}/${id}`, await tokenOf('admin'))
    expect(body.data).toMatchObject({
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
    const admin = await tokenOf('admin')
    const cases: [Record<string, unknown>, string][] = [
      [{ status: 1 }, 'name'],
      [{ name: 'x' }, 'status'],
      [{ name: 'x', status: 2 }, 'status'],
      [{ name: 'x', status: 1, phone: '12345' }, 'phone'],
      [{ name: 'x', status: 1, email: 'nope' }, 'email'],
      [{ name: 'x', status: 1, sort: -1 }, 'sort'],
      [{ name: 'x'.repeat(65), status: 1 }, 'name'],
    ]
    for (const [payload, field] of cases) {
      const { res, body } = await api('POST', BASE, admin, payload)
      expect(res.status, JSON.stringify(payload)).toBe(422)
      expect(errorsOf(body)[0]?.loc).toEqual(['body', field])
    }
  })

  it('is 409 for a name a live department has, and frees the name once deleted', async () => {
    const admin = await tokenOf('admin')
    const name = unique()
    const id = await createDept({ name })
    const dup = await api('POST', BASE, admin, { name, status: 1 })
    expect(dup.res.status).toBe(409)
    expect(dup.body.msg).toBe('Department name already exists')
    await api('DELETE', `${BASE}/${id}`, admin)
    expect((await api('POST', BASE, admin, { name, status: 1 })).res.status).toBe(200)
  })

  it('is 404 for a missing or deleted parent', async () => {
    const admin = await tokenOf('admin')
    const missing = await api('POST', BASE, admin, { name: unique(), status: 1, parent_id: 99999 })
    expect(missing.res.status).toBe(404)
    expect(missing.body.msg).toBe('Parent department not found')
    const gone = await createDept()
    await api('DELETE', `${BASE}/${gone}`, admin)
    expect((await api('POST', BASE, admin, { name: unique(), status: 1, parent_id: gone })).res.status).toBe(404)
  })

  it('answers in Chinese when asked', async () => {
    const init = jsonInit('POST', { name: '测试', status: 1 }, { 'Accept-Language': 'zh-CN' })
    const res = await authed(BASE, await tokenOf('admin'), init)
    expect(res.status).toBe(409)
    expect(((await res.json()) as Body).msg).toBe('部门名称已存在')
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
    const { res } = await api('PUT', `${BASE}/${id}`, await tokenOf('admin'), payload)
    expect(res.status).toBe(200)
    const { body } = await api('GET', `${BASE}/${id}`, await tokenOf('admin'))
    expect(body.data).toMatchObject(payload)
    expect((body.data as { updated_time: string }).updated_time).toMatch(DATETIME)
  })

  it('keeps its own name without a conflict, is 409 for another live department name', async () => {
    const admin = await tokenOf('admin')
    const name = unique()
    const id = await createDept({ name })
    expect((await api('PUT', `${BASE}/${id}`, admin, { name, status: 1 })).res.status).toBe(200)
    const conflict = await api('PUT', `${BASE}/${id}`, admin, { name: '测试', status: 1 })
    expect(conflict.res.status).toBe(409)
  })

  it('is 404 for a missing department or parent', async () => {
    const admin = await tokenOf('admin')
    const missing = await api('PUT', `${BASE}/99999`, admin, { name: unique(), status: 1 })
    expect(missing.res.status).toBe(404)
    expect(missing.body.msg).toBe('Department not found')
    const id = await createDept()
    const parent = await api('PUT', `${BASE}/${id}`, admin, { name: unique(), status: 1, parent_id: 99999 })
    expect(parent.res.status).toBe(404)
    expect(parent.body.msg).toBe('Parent department not found')
  })

  it('refuses itself or one of its descendants as parent', async () => {
    const admin = await tokenOf('admin')
    const top = await createDept()
    const middle = await createDept({ parent_id: top })
    const bottom = await createDept({ parent_id: middle })
    const self = await api('PUT', `${BASE}/${top}`, admin, { name: unique(), status: 1, parent_id: top })
    expect(self.res.status).toBe(403)
    expect(self.body.msg).toBe('A department cannot be its own parent')
    for (const descendant of [middle, bottom]) {
      const cycle = await api('PUT', `${BASE}/${top}`, admin, { name: unique(), status: 1, parent_id: descendant })
      expect(cycle.res.status).toBe(403)
      expect(cycle.body.msg).toBe('A department cannot be moved under one of its own sub-departments')
    }
    const [row] = await fileDb().select().from(sysDept).where(eq(sysDept.id, top))
    expect(row?.parentId).toBeNull()
    // Moving a department under a sibling branch is fine.
    const other = await createDept()
    expect(
      (await api('PUT', `${BASE}/${middle}`, admin, { name: unique(), status: 1, parent_id: other })).res.status,
    ).toBe(200)
    expect(
      (await api('PUT', `${BASE}/${top}`, admin, { name: unique(), status: 1, parent_id: bottom })).res.status,
    ).toBe(200)
  })
})

describe('DELETE /sys/depts/{pk}', () => {
  it('deletes logically', async () => {
    const id = await createDept()
    const { res, body } = await api('DELETE', `${BASE}/${id}`, await tokenOf('admin'))
    expect(res.status).toBe(200)
    expect(body.data).toBeNull()
    const [row] = await fileDb().select().from(sysDept).where(eq(sysDept.id, id))
    expect(row?.delFlag).toBe(true)
    expect(row?.updatedTime).toBeInstanceOf(Date)
  })

  it('is 409 while users belong to it (even disabled ones)', async () => {
    const admin = await tokenOf('admin')
    const dup = await api('DELETE', `${BASE}/1`, admin)
    expect(dup.res.status).toBe(409)
    expect(dup.body.msg).toBe('The department has users and cannot be deleted')
    const id = await createDept()
    await fileDb()
      .insert(sysUser)
      .values({ username: unique('u'), nickname: 'n', deptId: id, status: 0 })
    expect((await api('DELETE', `${BASE}/${id}`, admin)).res.status).toBe(409)
  })

  it('is 409 while live sub-departments exist, fine once they are deleted', async () => {
    const admin = await tokenOf('admin')
    const parent = await createDept()
    const child = await createDept({ parent_id: parent })
    const refused = await api('DELETE', `${BASE}/${parent}`, admin)
    expect(refused.res.status).toBe(409)
    expect(refused.body.msg).toBe('The department has sub-departments and cannot be deleted')
    expect((await api('DELETE', `${BASE}/${child}`, admin)).res.status).toBe(200)
    expect((await api('DELETE', `${BASE}/${parent}`, admin)).res.status).toBe(200)
  })

  it('is 404 for a missing or already deleted department', async () => {
    const admin = await tokenOf('admin')
    expect((await api('DELETE', `${BASE}/99999`, admin)).res.status).toBe(404)
    const id = await createDept()
    await api('DELETE', `${BASE}/${id}`, admin)
    expect((await api('DELETE', `${BASE}/${id}`, admin)).res.status).toBe(404)
  })
})
