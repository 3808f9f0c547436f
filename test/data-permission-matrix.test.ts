/**
 * The data-permission matrix, generated from the route table (issue 13): every route that works on records of a
 * data-permission-aware table declares it (`x-data-permission: <table>` in its OpenAPI operation, from
 * `defineRoute({ dataPermission })`), and for every such route a caller whose data scope excludes a record
 *   - gets 404 on it where the route names a record (`{pk}`: detail, sub-resources, update, delete), the same answer
 *     as for an unknown id, and the record stays as it was;
 *   - does not find it where the route lists records (lists, trees) — while a record inside the scope is there.
 * The caller ("scoped") is staff and holds every permission code, so only the data scope stands in the way; routes
 * reserved to superusers (who are never restricted) are tried through an app whose access check lets any signed-in
 * user through, so the scope is shown to hold on its own there too. Record ids are sent without a valid body: the
 * scope is checked before validation, like the access check.
 *
 * A route cannot be forgotten: once any route of a resource path declares a table, every route naming one of its
 * records (`<path>/{…}`) and its list or bulk delete (`GET`/`DELETE <path>`) must declare one too; a new table
 * needs its hidden and visible records below.
 */
import { eq, inArray } from 'drizzle-orm'
import type { Context } from 'hono'
import { beforeAll, describe, expect, it } from 'vitest'
import { createApp, SUPPORTED_VERSIONS } from '../src/app/app'
import { checkAccess } from '../src/domains/auth/access'
import { RuleExpression, RuleOperator, sysDataRule } from '../src/domains/data-rules/schema'
import { sysDataScope, sysDataScopeRule } from '../src/domains/data-scopes/schema'
import { sysDept } from '../src/domains/depts/schema'
import { sysMenu } from '../src/domains/menus/schema'
import { sysRole, sysRoleDataScope, sysRoleMenu } from '../src/domains/roles/schema'
import { sysUser, sysUserRole } from '../src/domains/users/schema'
import type { Access } from '../src/http/access'
import type { AppEnv } from '../src/http/context'
import { login } from './helpers/auth'
import { fileDb, seedFileDatabase } from './helpers/database'
import { harnessFor, send } from './helpers/harness'
import { documentedOperations } from './http/openapi-document'

interface Operation {
  method: string
  /** The documented path, e.g. `/sys/users/{pk}`. */
  path: string
  version: string
  access: string | undefined
  table: string | undefined
}

async function operations(): Promise<Operation[]> {
  return (await documentedOperations(SUPPORTED_VERSIONS)).map(({ method, path, version, operation }) => ({
    method,
    path,
    version,
    access: operation['x-access'],
    table: operation['x-data-permission'],
  }))
}

const label = (op: Operation) => `${op.method} /api/${op.version}${op.path}`
const namesRecord = (path: string) => path.includes('{')
/** The resource path a route belongs to: its path up to the first parameter. */
const resourceOf = (path: string) => path.split('/{')[0] ?? path

/**
 * Per data-permission-aware table: a record the scoped caller's rules exclude and one they include. Distinctive ids,
 * so finding one in an answer cannot be a coincidence with another table's ids.
 */
const HIDDEN = { sys_user: 7001, sys_dept: 7002 } as const
const VISIBLE = { sys_user: 7003, sys_dept: 7004 } as const
const HIDDEN_NAME = 'matrix-hidden'
const UNKNOWN_ID = 999_999

type Table = keyof typeof HIDDEN
const isKnownTable = (table: string): table is Table => Object.hasOwn(HIDDEN, table)

/** The auth domain's check, except that routes reserved to superusers only need a signed-in caller. */
const superuserRoutesOpen = (c: Context<AppEnv>, access: Exclude<Access, 'public' | 'qstash'>) =>
  checkAccess(c, access === 'superuser' ? 'authenticated' : access)
const open = harnessFor(createApp({ checkAccess: superuserRoutesOpen }))

let ops: Operation[]
let scoped = ''
let admin = ''

beforeAll(async () => {
  await seedFileDatabase()
  ops = await operations()
  const db = fileDb()
  // The scope: users and departments named `matrix-hidden` are outside it, everything else inside.
  const rules = await db
    .insert(sysDataRule)
    .values(
      (['User', 'Dept'] as const).map((model) => ({
        name: `matrix: ${model} not hidden`,
        model,
        column: model === 'User' ? 'username' : 'name',
        operator: RuleOperator.and,
        expression: RuleExpression.ne,
        value: HIDDEN_NAME,
      })),
    )
    .returning()
  const [scope] = await db.insert(sysDataScope).values({ name: 'matrix scope' }).returning()
  const [role] = await db.insert(sysRole).values({ name: 'matrix scoped', isFilterScopes: true }).returning()
  if (!scope || !role) throw new Error('scope not created')
  await db.insert(sysDataScopeRule).values(rules.map((r) => ({ dataScopeId: scope.id, dataRuleId: r.id })))
  await db.insert(sysRoleDataScope).values({ roleId: role.id, dataScopeId: scope.id })
  // Every menu, so every permission code: only the scope can refuse.
  const menus = await db.select({ id: sysMenu.id }).from(sysMenu)
  await db.insert(sysRoleMenu).values(menus.map((m) => ({ roleId: role.id, menuId: m.id })))

  await db.insert(sysDept).values([
    { id: HIDDEN.sys_dept, name: HIDDEN_NAME, parentId: 1 },
    { id: VISIBLE.sys_dept, name: 'matrix-visible', parentId: 1 },
  ])
  const [seeded] = await db.select({ password: sysUser.password }).from(sysUser).where(eq(sysUser.id, 1))
  const user = { password: seeded?.password, deptId: 1, isMultiLogin: true }
  const [caller] = await db
    .insert(sysUser)
    .values([
      { ...user, username: 'scoped', nickname: 'scoped', isStaff: true },
      { ...user, id: HIDDEN.sys_user, username: HIDDEN_NAME, nickname: HIDDEN_NAME },
      { ...user, id: VISIBLE.sys_user, username: 'matrix-visible', nickname: 'matrix-visible' },
    ])
    .returning()
  if (!caller) throw new Error('caller not created')
  await db.insert(sysUserRole).values({ userId: caller.id, roleId: role.id })

  scoped = (await login('scoped')).accessToken
  admin = (await login('admin')).accessToken
  // Both users have a live session, so lists of sessions have a row of each to show or hide.
  await login(HIDDEN_NAME)
  await login('matrix-visible')
})

const aware = () => ops.filter((op) => op.table !== undefined)

/** The route called the same way whatever its declared input: ids in the path, a JSON object for writes. */
async function call(op: Operation, token: string, id?: number) {
  const path = `/api/${op.version}${op.path.replace(/\{\w+\}/g, String(id ?? UNKNOWN_ID))}`
  const json = op.method === 'GET' ? undefined : {}
  const via = op.access === 'superuser' ? open.send : send
  const res = await via(op.method, path, { token, json })
  return { status: res.status, body: (await res.json()) as unknown }
}

/** Every `id` in an answer, at any depth (a page's items, a tree's children). */
function idsIn(value: unknown, found = new Set<number>()): Set<number> {
  if (Array.isArray(value)) for (const item of value) idsIn(item, found)
  else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      if (key === 'id' && typeof item === 'number') found.add(item)
      else idsIn(item, found)
    }
  }
  return found
}

/** The error envelope without its per-request trace id: two of these are equal when the answers are the same. */
function withoutTrace(body: unknown): unknown {
  if (body === null || typeof body !== 'object') return body
  const { trace_id: _, ...rest } = body as Record<string, unknown>
  return rest
}

async function hiddenRows() {
  const db = fileDb()
  return {
    users: await db.select().from(sysUser).where(eq(sysUser.id, HIDDEN.sys_user)),
    userRoles: await db.select().from(sysUserRole).where(eq(sysUserRole.userId, HIDDEN.sys_user)),
    depts: await db
      .select()
      .from(sysDept)
      .where(inArray(sysDept.id, [HIDDEN.sys_dept])),
  }
}

describe('data-permission matrix', () => {
  it('finds the data-permission-aware routes, each on a table with test records', () => {
    const marked = aware().map(label)
    for (const route of ['GET /api/v1/sys/users/{pk}', 'GET /api/v1/sys/users/{pk}/roles', 'GET /api/v1/sys/users']) {
      expect(marked).toContain(route)
    }
    const unknownTables = aware().filter((op) => !isKnownTable(op.table ?? ''))
    expect(
      unknownTables.map((op) => `${label(op)} → ${op.table}`),
      'add hidden/visible records for',
    ).toEqual([])
    console.log(
      `data-permission matrix: ${marked.length} routes over ${new Set(aware().map((o) => o.table)).size} tables`,
    )
  })

  it('declares the data permission on every route of a resource that has one', () => {
    const resources = new Set(aware().map((op) => `${op.version} ${resourceOf(op.path)}`))
    const undeclared = ops.filter((op) => {
      const base = resourceOf(op.path)
      if (!resources.has(`${op.version} ${base}`) || op.table) return false
      const namesOne = op.path.startsWith(`${base}/{`)
      const listsOrBulk = op.path === base && (op.method === 'GET' || op.method === 'DELETE')
      return namesOne || listsOrBulk
    })
    expect(undeclared.map(label)).toEqual([])
  })

  it('answers a scoped-out record with the 404 of an unknown id on every route that names one', async () => {
    const before = await hiddenRows()
    const wrong: string[] = []
    for (const op of aware().filter((o) => namesRecord(o.path))) {
      const table = op.table as Table
      const hidden = await call(op, scoped, HIDDEN[table])
      const unknown = await call(op, scoped, UNKNOWN_ID)
      if (hidden.status !== 404) wrong.push(`${label(op)} hidden → ${hidden.status} ${JSON.stringify(hidden.body)}`)
      else if (JSON.stringify(withoutTrace(hidden.body)) !== JSON.stringify(withoutTrace(unknown.body))) {
        wrong.push(`${label(op)} hidden ${JSON.stringify(hidden.body)} ≠ unknown ${JSON.stringify(unknown.body)}`)
      }
      if (op.method === 'GET') {
        // The same reads of records inside the scope, and of the hidden one by a superuser, succeed: the 404 above
        // is the scope's doing.
        const visible = await call(op, scoped, VISIBLE[table])
        if (visible.status !== 200) wrong.push(`${label(op)} visible → ${visible.status}`)
        const byAdmin = await call(op, admin, HIDDEN[table])
        if (byAdmin.status !== 200) wrong.push(`${label(op)} hidden, as admin → ${byAdmin.status}`)
      }
    }
    expect(wrong).toEqual([])
    expect(await hiddenRows(), 'the scoped-out records were changed').toEqual(before)
  })

  it('leaves a scoped-out record out of every list that shows records inside the scope', async () => {
    const wrong: string[] = []
    const lists = aware().filter((op) => !namesRecord(op.path))
    for (const op of lists) {
      const table = op.table as Table
      if (op.method !== 'GET') {
        wrong.push(`${label(op)}: a bulk write over ${table}; extend this matrix to try it with a scoped-out id`)
        continue
      }
      const seen = await call(op, scoped)
      const all = await call(op, admin)
      if (seen.status !== 200 || all.status !== 200) {
        wrong.push(`${label(op)} → ${seen.status} (scoped), ${all.status} (admin)`)
        continue
      }
      const ids = idsIn(seen.body)
      if (ids.has(HIDDEN[table])) wrong.push(`${label(op)} shows the scoped-out record ${HIDDEN[table]}`)
      if (!ids.has(VISIBLE[table])) wrong.push(`${label(op)} misses the record inside the scope`)
      if (!idsIn(all.body).has(HIDDEN[table])) wrong.push(`${label(op)} shows admin no scoped-out record to hide`)
    }
    expect(wrong).toEqual([])
  })
})
