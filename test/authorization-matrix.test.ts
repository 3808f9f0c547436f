/**
 * The authorization matrix, generated from the route table: every route of every API version must declare who may
 * call it (`x-access` in its OpenAPI operation), and the declaration must hold:
 *   anonymous → 401 unless public;
 *   QStash-signed routes → 401 for any user token;
 *   signed in without the permission → 403;
 *   with it → neither 401 nor 403;
 *   a non-staff user writing → 403 (permission routes).
 * Requests carry dummy path params (an id that does not exist) and an empty body: validation or 404 answers are
 * fine — only the authorization outcome is asserted.
 */
import { inArray } from 'drizzle-orm'
import { beforeAll, describe, expect, it } from 'vitest'
import { SUPPORTED_VERSIONS } from '../src/app/app'
import { sysMenu } from '../src/domains/menus/schema'
import { sysRole, sysRoleMenu } from '../src/domains/roles/schema'
import { sysUser, sysUserRole } from '../src/domains/users/schema'
import { app } from './helpers/app'
import { login } from './helpers/auth'
import { fileDb, seedFileDatabase } from './helpers/database'
import { send } from './helpers/harness'
import { documentedOperations } from './http/openapi-document'

/** Served by the framework itself, public by design. */
const FRAMEWORK_ROUTES = new Set(SUPPORTED_VERSIONS.map((v) => `GET /api/${v}/openapi.json`))

interface Operation {
  method: string
  path: string
  access: string | undefined
}

async function operations(): Promise<Operation[]> {
  return (await documentedOperations(SUPPORTED_VERSIONS)).map(({ method, path, version, operation }) => ({
    method,
    path: `/api/${version}${path}`,
    access: operation['x-access'],
  }))
}

const DUMMY: Record<string, string> = {
  pk: '999999',
  plugin: 'no-such-plugin',
  code: 'no_such_code',
  model: 'NoSuchModel',
}
const concrete = (path: string) => path.replace(/\{(\w+)\}/g, (_, name: string) => DUMMY[name] ?? '999999')

const WRITE = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])

/**
 * Routes that also refuse every caller outside development (403 before anything else; the tests run with
 * ENVIRONMENT=test). Their permission and environment gates are covered in their own tests
 * (test/plugins/code_generator/routes.test.ts).
 */
const DEVELOPMENT_ONLY = new Set(['POST /api/v1/code-generation/generations/{pk}'])

/** Every route the same way, whatever its declared body: `send`, not a typed client. */
async function request(op: Operation, token?: string): Promise<number> {
  const headers: Record<string, string> = {
    'Content-Type': 'application/json',
    'CF-Connecting-IP': `10.9.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`,
  }
  const res = await send(op.method, concrete(op.path), { token, headers, json: WRITE.has(op.method) ? {} : undefined })
  await res.arrayBuffer()
  return res.status
}

let ops: Operation[]
const tokens: Record<'admin' | 'holder' | 'bystander' | 'viewer', string> = {
  admin: '',
  holder: '',
  bystander: '',
  viewer: '',
}

beforeAll(async () => {
  await seedFileDatabase()
  ops = await operations()
  const db = fileDb()
  const allMenus = await db.select({ id: sysMenu.id }).from(sysMenu)
  // holder: staff, every permission through a role with every menu; viewer: the same but not staff;
  // bystander: staff with a role that has menus but no permission codes.
  const [everything] = await db.insert(sysRole).values({ name: 'matrix-all', status: 1 }).returning()
  const [nothing] = await db.insert(sysRole).values({ name: 'matrix-none', status: 1 }).returning()
  if (!everything || !nothing) throw new Error('roles not created')
  await db.insert(sysRoleMenu).values(allMenus.map((m) => ({ roleId: everything.id, menuId: m.id })))
  await db.insert(sysRoleMenu).values([{ roleId: nothing.id, menuId: 1 }])
  const hash = (
    await db
      .select({ password: sysUser.password })
      .from(sysUser)
      .where(inArray(sysUser.id, [1]))
  )[0]?.password
  const users = await db
    .insert(sysUser)
    .values([
      { username: 'holder', nickname: 'holder', password: hash, isStaff: true, isMultiLogin: true, deptId: 1 },
      { username: 'viewer', nickname: 'viewer', password: hash, isStaff: false, isMultiLogin: true, deptId: 1 },
      { username: 'bystander', nickname: 'bystander', password: hash, isStaff: true, isMultiLogin: true, deptId: 1 },
    ])
    .returning()
  const id = (name: string) => users.find((u) => u.username === name)?.id as number
  await db.insert(sysUserRole).values([
    { userId: id('holder'), roleId: everything.id },
    { userId: id('viewer'), roleId: everything.id },
    { userId: id('bystander'), roleId: nothing.id },
  ])
  for (const name of ['admin', 'holder', 'bystander', 'viewer'] as const) tokens[name] = (await login(name)).accessToken
})

describe('authorization matrix', () => {
  it('covers every registered route, each with an access declaration', async () => {
    const documented = new Set(ops.map((o) => `${o.method} ${o.path.replace(/\{(\w+)\}/g, ':$1')}`))
    const registered = new Set(
      app.routes
        .filter((r) => r.method !== 'ALL' && /^\/api\/v\d+\//.test(r.path))
        .map((r) => `${r.method} ${r.path}`)
        .filter((r) => !FRAMEWORK_ROUTES.has(r)),
    )
    const undocumented = [...registered].filter((r) => !documented.has(r))
    expect(undocumented, 'routes outside the OpenAPI document (no access declaration)').toEqual([])
    const undeclared = ops.filter((o) => !o.access).map((o) => `${o.method} ${o.path}`)
    expect(undeclared, 'routes without an access declaration').toEqual([])
    console.log(`authorization matrix: ${ops.length} routes across ${SUPPORTED_VERSIONS.join(', ')} (100% declared)`)
  })

  it('anonymous callers get 401 on every non-public route', async () => {
    const wrong: string[] = []
    for (const op of ops) {
      const status = await request(op)
      if (op.access === 'public' ? status === 401 : status !== 401)
        wrong.push(`${op.method} ${op.path} (${op.access}) → ${status}`)
    }
    expect(wrong).toEqual([])
  })

  it('callers without the permission get 403, callers with it get neither 401 nor 403', async () => {
    const wrong: string[] = []
    for (const op of ops) {
      // Public routes were covered anonymously (and calling logout with a token would end that session).
      if (op.access === 'public') continue
      if (op.access === 'qstash') {
        // Only a QStash signature opens these (test/domains/tasks/deliveries.test.ts): a user's token is no signature.
        const status = await request(op, tokens.admin)
        if (status !== 401) wrong.push(`${op.method} ${op.path} (${op.access}) admin token → ${status}`)
        continue
      }
      if (op.access === 'authenticated') {
        const status = await request(op, tokens.bystander)
        if (status === 401 || status === 403) wrong.push(`${op.method} ${op.path} (${op.access}) bystander → ${status}`)
        continue
      }
      const allowed = op.access === 'superuser' ? tokens.admin : tokens.holder
      const denied = op.access === 'superuser' ? tokens.holder : tokens.bystander
      const without = await request(op, denied)
      if (without !== 403) wrong.push(`${op.method} ${op.path} (${op.access}) without → ${without}`)
      const withIt = await request(op, allowed)
      const gated = withIt === 403 && DEVELOPMENT_ONLY.has(`${op.method} ${op.path}`)
      if (withIt === 401 || (withIt === 403 && !gated))
        wrong.push(`${op.method} ${op.path} (${op.access}) with → ${withIt}`)
    }
    expect(wrong).toEqual([])
  })

  it('a non-staff user holding the permission still cannot write', async () => {
    const wrong: string[] = []
    for (const op of ops) {
      if (['public', 'authenticated', 'superuser', 'qstash'].includes(op.access ?? '')) continue
      const status = await request(op, tokens.viewer)
      const expected = WRITE.has(op.method) ? status === 403 : status !== 401 && status !== 403
      if (!expected) wrong.push(`${op.method} ${op.path} (${op.access}) viewer → ${status}`)
    }
    expect(wrong).toEqual([])
  })
})
