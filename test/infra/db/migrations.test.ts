/**
 * The generated migrations apply to the libSQL emulator from inside workerd (the path every Worker test takes) and
 * create fba's tables, columns, indexes and foreign keys.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { fileClient, MIGRATION_STATEMENTS, migrateFileDatabase } from '../../helpers/database'

const TABLES = [
  'sys_data_rule',
  'sys_data_scope',
  'sys_data_scope_rule',
  'sys_dept',
  'sys_login_log',
  'sys_menu',
  'sys_opera_log',
  'sys_role',
  'sys_role_data_scope',
  'sys_role_menu',
  'sys_user',
  'sys_user_password_history',
  'sys_user_role',
]

/** Tables of the built-in plugins (config, dict, notice) and the plugin state. */
const PLUGIN_TABLES = ['sys_config', 'sys_dict_data', 'sys_dict_type', 'sys_notice', 'sys_plugin', 'sys_user_social']

beforeAll(migrateFileDatabase)

async function rows<T>(sql: string): Promise<T[]> {
  const client = fileClient()
  try {
    return (await client.execute(sql)).rows as unknown as T[]
  } finally {
    client.close()
  }
}

describe('migrations', () => {
  it('are bundled for the Worker tests', () => {
    expect(MIGRATION_STATEMENTS.length).toBeGreaterThan(TABLES.length)
    expect(MIGRATION_STATEMENTS.every((s) => !s.includes('statement-breakpoint'))).toBe(true)
  })

  it('create every core and built-in plugin table', async () => {
    const tables = await rows<{ name: string }>(
      "select name from sqlite_master where type = 'table' and name like 'sys_%' order by name",
    )
    expect(tables.map((t) => t.name)).toEqual([...TABLES, ...PLUGIN_TABLES].sort())
  })

  it('apply once per file: a second call is a no-op', async () => {
    await expect(migrateFileDatabase()).resolves.toBeUndefined()
  })

  it("use fba's column names", async () => {
    const columns = await rows<{ name: string }>("select name from pragma_table_info('sys_user') order by cid")
    expect(columns.map((c) => c.name)).toEqual([
      'id',
      'uuid',
      'username',
      'nickname',
      'password',
      'email',
      'phone',
      'avatar',
      'status',
      'is_superuser',
      'is_staff',
      'is_multi_login',
      'join_time',
      'last_login_time',
      'last_password_changed_time',
      'dept_id',
      'created_time',
      'updated_time',
    ])
  })

  it('declare the unique indexes of the contract', async () => {
    const unique = await rows<{ name: string }>(
      "select name, tbl_name from sqlite_master where type = 'index' and sql like 'CREATE UNIQUE INDEX%' order by name",
    )
    const core = unique.filter((i) => TABLES.includes((i as unknown as { tbl_name: string }).tbl_name))
    expect(core.map((i) => i.name)).toEqual([
      'sys_data_rule_name_unique',
      'sys_data_scope_name_unique',
      'sys_data_scope_rule_data_scope_id_data_rule_id_unique',
      'sys_dept_name_unique',
      'sys_menu_title_unique',
      'sys_role_data_scope_role_id_data_scope_id_unique',
      'sys_role_menu_role_id_menu_id_unique',
      'sys_role_name_unique',
      'sys_user_email_unique',
      'sys_user_role_user_id_role_id_unique',
      'sys_user_username_unique',
      'sys_user_uuid_unique',
    ])
  })

  it('link association tables to their owners with ON DELETE CASCADE', async () => {
    const fks = await rows<{ tbl: string; parent: string; on_delete: string }>(
      `select m.name as tbl, f."table" as parent, f.on_delete as on_delete
         from sqlite_master m join pragma_foreign_key_list(m.name) f
        where m.type = 'table' order by m.name, f."table"`,
    )
    expect(fks.filter((fk) => TABLES.includes(fk.tbl))).toEqual([
      { tbl: 'sys_data_scope_rule', parent: 'sys_data_rule', on_delete: 'CASCADE' },
      { tbl: 'sys_data_scope_rule', parent: 'sys_data_scope', on_delete: 'CASCADE' },
      { tbl: 'sys_role_data_scope', parent: 'sys_data_scope', on_delete: 'CASCADE' },
      { tbl: 'sys_role_data_scope', parent: 'sys_role', on_delete: 'CASCADE' },
      { tbl: 'sys_role_menu', parent: 'sys_menu', on_delete: 'CASCADE' },
      { tbl: 'sys_role_menu', parent: 'sys_role', on_delete: 'CASCADE' },
      { tbl: 'sys_user_password_history', parent: 'sys_user', on_delete: 'CASCADE' },
      { tbl: 'sys_user_role', parent: 'sys_role', on_delete: 'CASCADE' },
      { tbl: 'sys_user_role', parent: 'sys_user', on_delete: 'CASCADE' },
    ])
  })
})
