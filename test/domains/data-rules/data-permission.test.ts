// biome-ignore-all lint/suspicious/noTemplateCurlyInString: rule values use fba's `${…}` placeholders, not JS templates
/**
 * The data-permission engine against real SQL on this file's database: conditions are built for a table and run
 * in a `select`. A scratch table (`dp_item`, model `DpItem`) has every column kind a rule can compare, plus
 * `dept_id` and `created_by` for the column templates; the seeded `sys_dept`/`sys_user` cover the real tables.
 */
import type { SQL } from 'drizzle-orm'
import { eq } from 'drizzle-orm'
import { integer, sqliteTable, text } from 'drizzle-orm/sqlite-core'
import { beforeAll, describe, expect, it } from 'vitest'
import type { AuthDataRule } from '../../../src/domains/auth/auth-user'
import { loadAuthUser } from '../../../src/domains/auth/auth-user-loader'
import {
  buildDataPermission,
  type DataPermissionSubject,
  isUnrestricted,
  modelName,
  modelNameOf,
  resolveColumn,
} from '../../../src/domains/data-rules/data-permission'
import { sysDataRule } from '../../../src/domains/data-rules/schema'
import { sysDataScope, sysDataScopeRule } from '../../../src/domains/data-scopes/schema'
import { sysDept } from '../../../src/domains/depts/schema'
import { sysRole, sysRoleDataScope } from '../../../src/domains/roles/schema'
import { sysUser, sysUserRole } from '../../../src/domains/users/schema'
import { fileClient, fileDb, seedFileDatabase } from '../../helpers/database'

const dpItem = sqliteTable('dp_item', {
  id: integer('id').primaryKey(),
  name: text('name'),
  deptId: integer('dept_id'),
  createdBy: integer('created_by'),
  score: integer('score'),
  active: integer('active', { mode: 'boolean' }),
  happenedAt: integer('happened_at', { mode: 'timestamp_ms' }),
  sort: integer('sort'),
})

const at = (iso: string) => new Date(`${iso}T00:00:00Z`)

const ROWS = [
  { id: 1, name: 'a', deptId: 10, createdBy: 7, score: 10, active: true, happenedAt: at('2026-01-01'), sort: 1 },
  { id: 2, name: 'b', deptId: 10, createdBy: 8, score: 20, active: false, happenedAt: at('2026-02-01'), sort: 2 },
  { id: 3, name: 'c', deptId: 20, createdBy: 7, score: 30, active: true, happenedAt: at('2099-01-01'), sort: 3 },
  { id: 4, name: 'd', deptId: 20, createdBy: 9, score: 40, active: false, happenedAt: at('2099-02-01'), sort: 4 },
  { id: 5, name: 'e', deptId: null, createdBy: null, score: null, active: null, happenedAt: null, sort: 5 },
]

beforeAll(async () => {
  await seedFileDatabase()
  const client = fileClient()
  try {
    await client.execute(
      'create table dp_item (id integer primary key, name text, dept_id integer, created_by integer, score integer, active integer, happened_at integer, sort integer)',
    )
  } finally {
    client.close()
  }
  await fileDb().insert(dpItem).values(ROWS)
})

const EQ = 0
const NE = 1
const GT = 2
const GE = 3
const LT = 4
const LE = 5
const IN = 6
const NOT_IN = 7
const AND = 0
const OR = 1

type RuleInput = Partial<AuthDataRule> & Pick<AuthDataRule, 'column' | 'expression' | 'value'>

/** A regular user (id 7, dept 10) with one enabled filtering role holding these rules. */
function subject(rules: RuleInput[], extra: Partial<DataPermissionSubject> = {}): DataPermissionSubject {
  return {
    id: 7,
    deptId: 10,
    isSuperuser: false,
    roles: [{ status: 1, isFilterScopes: true }],
    dataRules: rules.map((rule, i) => ({ id: i + 1, model: 'DpItem', operator: AND, ...rule })),
    ...extra,
  }
}

async function visible(condition: SQL | undefined): Promise<number[]> {
  const rows = await fileDb().select({ id: dpItem.id }).from(dpItem).where(condition).orderBy(dpItem.id)
  return rows.map((r) => r.id)
}

const ids = (rules: RuleInput[], extra: Partial<DataPermissionSubject> = {}, now?: Date) =>
  visible(buildDataPermission(subject(rules, extra), dpItem, now ? { now } : {}))

describe('names', () => {
  it('derives class-like model names from table names', () => {
    expect(modelNameOf('sys_dept')).toBe('Dept')
    expect(modelNameOf('sys_login_log')).toBe('LoginLog')
    expect(modelNameOf('sys_user_password_history')).toBe('UserPasswordHistory')
    expect(modelNameOf('gen_business')).toBe('GenBusiness')
    expect(modelName(dpItem)).toBe('DpItem')
    expect(modelName(sysUser)).toBe('User')
  })

  it('maps column templates: __dept_id__ → dept_id (the dept table: its id), __created_by__ → created_by', () => {
    expect(resolveColumn(dpItem, '__dept_id__')?.name).toBe('dept_id')
    expect(resolveColumn(sysUser, '__dept_id__')?.name).toBe('dept_id')
    expect(resolveColumn(sysDept, '__dept_id__')?.name).toBe('id')
    expect(resolveColumn(dpItem, '__created_by__')?.name).toBe('created_by')
    expect(resolveColumn(sysDept, '__created_by__')).toBeUndefined()
    expect(resolveColumn(dpItem, 'score')?.name).toBe('score')
    expect(resolveColumn(dpItem, 'nope')).toBeUndefined()
    for (const excluded of ['id', 'sort', 'del_flag', 'created_time', 'updated_time']) {
      expect(resolveColumn(sysDept, excluded)).toBeUndefined()
    }
  })
})

describe('expressions', () => {
  it('compares integers with every expression', async () => {
    expect(await ids([{ column: 'score', expression: EQ, value: '20' }])).toEqual([2])
    expect(await ids([{ column: 'score', expression: NE, value: '20' }])).toEqual([1, 3, 4])
    expect(await ids([{ column: 'score', expression: GT, value: '20' }])).toEqual([3, 4])
    expect(await ids([{ column: 'score', expression: GE, value: '20' }])).toEqual([2, 3, 4])
    expect(await ids([{ column: 'score', expression: LT, value: '20' }])).toEqual([1])
    expect(await ids([{ column: 'score', expression: LE, value: '20' }])).toEqual([1, 2])
    expect(await ids([{ column: 'score', expression: IN, value: '10, 30' }])).toEqual([1, 3])
    expect(await ids([{ column: 'score', expression: NOT_IN, value: '10,30' }])).toEqual([2, 4])
  })

  it('casts the value to the column type: text, boolean, datetime', async () => {
    expect(await ids([{ column: 'name', expression: EQ, value: 'b' }])).toEqual([2])
    expect(await ids([{ column: 'name', expression: IN, value: 'a,d,zz' }])).toEqual([1, 4])
    expect(await ids([{ column: 'name', expression: GT, value: 'b' }])).toEqual([3, 4, 5])
    expect(await ids([{ column: 'active', expression: EQ, value: '1' }])).toEqual([1, 3])
    expect(await ids([{ column: 'active', expression: EQ, value: 'false' }])).toEqual([2, 4])
    expect(await ids([{ column: 'happened_at', expression: GE, value: '2026-02-01 00:00:00' }])).toEqual([2, 3, 4])
    expect(await ids([{ column: 'happened_at', expression: LT, value: '2026-01-15' }])).toEqual([1])
    expect(await ids([{ column: 'happened_at', expression: EQ, value: String(at('2099-01-01').getTime()) }])).toEqual([
      3,
    ])
  })

  it('fails closed on a value that does not fit the column, an empty list or an unknown expression', async () => {
    expect(await ids([{ column: 'score', expression: EQ, value: 'abc' }])).toEqual([])
    expect(await ids([{ column: 'score', expression: EQ, value: '1.5' }])).toEqual([])
    expect(await ids([{ column: 'active', expression: EQ, value: 'maybe' }])).toEqual([])
    expect(await ids([{ column: 'happened_at', expression: LT, value: 'never' }])).toEqual([])
    expect(await ids([{ column: 'score', expression: IN, value: '10,x' }])).toEqual([])
    expect(await ids([{ column: 'score', expression: IN, value: ' , ' }])).toEqual([])
    expect(await ids([{ column: 'score', expression: NOT_IN, value: '' }])).toEqual([1, 2, 3, 4, 5])
    expect(await ids([{ column: 'score', expression: 9, value: '10' }])).toEqual([])
  })
})

describe('value templates', () => {
  it('${user_id} is the user id', async () => {
    expect(await ids([{ column: 'created_by', expression: EQ, value: '${user_id}' }])).toEqual([1, 3])
    expect(await ids([{ column: 'created_by', expression: NE, value: ' ${user_id} ' }])).toEqual([2, 4])
  })

  it("${dept_id} is the user's department; a user without one matches nothing", async () => {
    expect(await ids([{ column: 'dept_id', expression: EQ, value: '${dept_id}' }])).toEqual([1, 2])
    expect(await ids([{ column: 'dept_id', expression: IN, value: '${dept_id},20' }])).toEqual([1, 2, 3, 4])
    expect(await ids([{ column: 'dept_id', expression: EQ, value: '${dept_id}' }], { deptId: null })).toEqual([])
  })

  it('${now} is the current time (or the one given)', async () => {
    expect(await ids([{ column: 'happened_at', expression: LT, value: '${now}' }])).toEqual([1, 2])
    const past = at('2000-01-01')
    expect(await ids([{ column: 'happened_at', expression: GT, value: '${now}' }], {}, past)).toEqual([1, 2, 3, 4])
  })

  it('any other text is a literal', async () => {
    expect(await ids([{ column: 'name', expression: EQ, value: '${nobody}' }])).toEqual([])
  })
})

describe('column templates', () => {
  it('__dept_id__ compares the dept_id column', async () => {
    expect(await ids([{ column: '__dept_id__', expression: EQ, value: '${dept_id}' }])).toEqual([1, 2])
  })

  it('__created_by__ compares the created_by column', async () => {
    expect(await ids([{ column: '__created_by__', expression: EQ, value: '${user_id}' }])).toEqual([1, 3])
  })

  it('__dept_id__ on the department table is the department itself', async () => {
    const rule = { model: 'Dept', column: '__dept_id__', expression: EQ, value: '${dept_id}' }
    const condition = buildDataPermission(subject([rule], { deptId: 1 }), sysDept)
    const rows = await fileDb().select({ id: sysDept.id }).from(sysDept).where(condition)
    expect(rows.map((r) => r.id)).toEqual([1])
  })
})

describe('combining rules', () => {
  it('AND-rules all hold', async () => {
    const rules = [
      { column: 'dept_id', expression: EQ, value: '10' },
      { column: 'score', expression: GE, value: '20' },
    ]
    expect(await ids(rules)).toEqual([2])
  })

  it('OR-rules: any holds', async () => {
    const rules = [
      { column: 'name', expression: EQ, value: 'a', operator: OR },
      { column: 'name', expression: EQ, value: 'd', operator: OR },
    ]
    expect(await ids(rules)).toEqual([1, 4])
  })

  it('(AND-group) OR (OR-group)', async () => {
    const rules = [
      { column: 'dept_id', expression: EQ, value: '10' },
      { column: 'score', expression: GE, value: '20' },
      { column: 'name', expression: EQ, value: 'd', operator: OR },
      { column: 'name', expression: EQ, value: 'e', operator: OR },
    ]
    expect(await ids(rules)).toEqual([2, 4, 5])
  })

  it('a rule whose column the table lacks, or an excluded column, adds nothing', async () => {
    const rules = [
      { column: 'score', expression: EQ, value: '10' },
      { column: 'missing', expression: EQ, value: '1' },
      { column: 'sort', expression: EQ, value: '4' },
      { column: 'id', expression: EQ, value: '4' },
    ]
    expect(await ids(rules)).toEqual([1])
  })
})

describe('which rules apply', () => {
  it('a rule names its model by model name or table name', async () => {
    expect(await ids([{ model: 'dp_item', column: 'score', expression: EQ, value: '30' }])).toEqual([3])
    expect(await ids([{ model: 'DpItem', column: 'score', expression: EQ, value: '30' }])).toEqual([3])
  })

  it('__ALL__ applies to every table having the column', async () => {
    const rule = { model: '__ALL__', column: '__dept_id__', expression: EQ, value: '${dept_id}' }
    expect(await ids([rule])).toEqual([1, 2])
    const onUsers = buildDataPermission(subject([rule], { deptId: 1 }), sysUser)
    const users = await fileDb().select({ id: sysUser.id }).from(sysUser).where(onUsers)
    expect(users.map((u) => u.id).sort()).toEqual([1, 2])
    const onOtherDept = buildDataPermission(subject([rule], { deptId: 42 }), sysUser)
    expect(await fileDb().select({ id: sysUser.id }).from(sysUser).where(onOtherDept)).toEqual([])
  })

  it('rules that exist but apply to other tables leave this one unrestricted', async () => {
    const rules = [
      { model: 'Dept', column: 'name', expression: EQ, value: 'x' },
      { model: '__ALL__', column: '__created_by__', expression: EQ, value: '${user_id}' },
    ]
    expect(buildDataPermission(subject(rules), sysUser)).toBeUndefined()
    expect(buildDataPermission(subject(rules), sysDept)).toBeDefined()
    expect(await ids([{ model: 'User', column: 'status', expression: EQ, value: '1' }])).toEqual([1, 2, 3, 4, 5])
  })

  it('no rules at all: no rows', async () => {
    expect(await ids([])).toEqual([])
    expect(await ids([], { dataRules: undefined })).toEqual([])
  })
})

describe('unrestricted users', () => {
  it('superusers see everything', async () => {
    expect(buildDataPermission(subject([], { isSuperuser: true }), dpItem)).toBeUndefined()
    expect(await ids([{ column: 'score', expression: EQ, value: '1' }], { isSuperuser: true })).toEqual([1, 2, 3, 4, 5])
  })

  it('so does a user with an enabled role that does not filter by scopes', async () => {
    const roles = [
      { status: 1, isFilterScopes: true },
      { status: 1, isFilterScopes: false },
    ]
    expect(isUnrestricted(subject([], { roles }))).toBe(true)
    expect(await ids([], { roles })).toEqual([1, 2, 3, 4, 5])
  })

  it('but not when that role is disabled', async () => {
    const roles = [
      { status: 1, isFilterScopes: true },
      { status: 0, isFilterScopes: false },
    ]
    expect(isUnrestricted(subject([], { roles }))).toBe(false)
    expect(await ids([], { roles })).toEqual([])
  })
})

describe('the auth snapshot', () => {
  it('holds the rules of enabled scopes of enabled roles only, each once', async () => {
    const db = fileDb()
    const [user] = await db.insert(sysUser).values({ username: 'dp-user', nickname: 'dp', deptId: 1 }).returning()
    const [enabledRole, disabledRole] = await db
      .insert(sysRole)
      .values([
        { name: 'dp-enabled', status: 1 },
        { name: 'dp-disabled', status: 0 },
      ])
      .returning()
    const [enabledScope, disabledScope, otherScope] = await db
      .insert(sysDataScope)
      .values([
        { name: 'dp-on', status: 1 },
        { name: 'dp-off', status: 0 },
        { name: 'dp-other', status: 1 },
      ])
      .returning()
    const rules = await db
      .insert(sysDataRule)
      .values(
        ['kept', 'scope-off', 'role-off', 'shared'].map((name) => ({
          name: `dp-${name}`,
          model: 'Dept',
          column: 'name',
          operator: AND,
          expression: EQ,
          value: name,
        })),
      )
      .returning()
    const [kept, scopeOff, roleOff, shared] = rules
    await db.insert(sysUserRole).values([
      { userId: user!.id, roleId: enabledRole!.id },
      { userId: user!.id, roleId: disabledRole!.id },
    ])
    await db.insert(sysRoleDataScope).values([
      { roleId: enabledRole!.id, dataScopeId: enabledScope!.id },
      { roleId: enabledRole!.id, dataScopeId: disabledScope!.id },
      { roleId: enabledRole!.id, dataScopeId: otherScope!.id },
      { roleId: disabledRole!.id, dataScopeId: otherScope!.id },
    ])
    // otherScope is reached through both roles; `shared` sits in two enabled scopes.
    await db.insert(sysDataScopeRule).values([
      { dataScopeId: enabledScope!.id, dataRuleId: kept!.id },
      { dataScopeId: enabledScope!.id, dataRuleId: shared!.id },
      { dataScopeId: otherScope!.id, dataRuleId: shared!.id },
      { dataScopeId: disabledScope!.id, dataRuleId: scopeOff!.id },
    ])
    // A rule only reachable through the disabled role.
    const [roleOffScope] = await db.insert(sysDataScope).values({ name: 'dp-role-off', status: 1 }).returning()
    await db.insert(sysRoleDataScope).values({ roleId: disabledRole!.id, dataScopeId: roleOffScope!.id })
    await db.insert(sysDataScopeRule).values({ dataScopeId: roleOffScope!.id, dataRuleId: roleOff!.id })

    const snapshot = await loadAuthUser(db, user!.id)
    expect(snapshot?.dataRules.map((r) => r.id)).toEqual([kept!.id, shared!.id])
    expect(snapshot?.dataRules[0]).toEqual({
      id: kept!.id,
      model: 'Dept',
      column: 'name',
      operator: AND,
      expression: EQ,
      value: 'kept',
    })
    await db.delete(sysUserRole).where(eq(sysUserRole.userId, user!.id))
    expect((await loadAuthUser(db, user!.id))?.dataRules).toEqual([])
  })

  it("gives the seeded test user the seeded scopes' rules: only department 测试 visible", async () => {
    const snapshot = await loadAuthUser(fileDb(), 2)
    expect(snapshot?.dataRules.map((r) => r.id)).toEqual([1, 2, 3])
    const rows = await fileDb().select({ id: sysDept.id }).from(sysDept).where(buildDataPermission(snapshot!, sysDept))
    expect(rows.map((r) => r.id)).toEqual([1])
    // No seeded rule targets sys_user for the test user's scopes: unrestricted there.
    expect(buildDataPermission(snapshot!, sysUser)).toBeUndefined()
  })
})
