/**
 * The code generator's tables (docs/fba-compatibility.md, "Code generator plugin"): a business (`gen_business`, one
 * per table to generate) and its model columns (`gen_column`, no timestamps, as in fba). Unlike fba, a business's
 * columns go with it (a cascading foreign key, and the service deletes them in the same batch), and a column name is
 * unique within its business (a constraint, not only service code).
 */
import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core'
import { bool, id, timestamps } from '../../infra/db/columns'

export const genBusiness = sqliteTable(
  'gen_business',
  {
    id: id(),
    appName: text('app_name', { length: 64 }).notNull(),
    tableName: text('table_name', { length: 256 }).notNull(),
    docComment: text('doc_comment', { length: 256 }).notNull(),
    tableComment: text('table_comment', { length: 256 }),
    className: text('class_name', { length: 64 }),
    schemaName: text('schema_name', { length: 64 }),
    filename: text('filename', { length: 64 }),
    datetimeMixin: bool('datetime_mixin').notNull().default(true),
    apiVersion: text('api_version', { length: 32 }).notNull().default('v1'),
    tag: text('tag', { length: 64 }),
    genPath: text('gen_path', { length: 256 }),
    remark: text('remark'),
    ...timestamps(),
  },
  (t) => [uniqueIndex('gen_business_table_name_unique').on(t.tableName)],
)

export const genColumn = sqliteTable(
  'gen_column',
  {
    id: id(),
    name: text('name', { length: 64 }).notNull(),
    comment: text('comment', { length: 256 }),
    type: text('type', { length: 32 }).notNull().default('VARCHAR'),
    pdType: text('pd_type', { length: 32 }).notNull().default('str'),
    default: text('default'),
    sort: integer('sort').default(1),
    length: integer('length').notNull().default(0),
    isPk: bool('is_pk').notNull().default(false),
    isNullable: bool('is_nullable').notNull().default(false),
    genBusinessId: integer('gen_business_id')
      .notNull()
      .references(() => genBusiness.id, { onDelete: 'cascade' }),
  },
  (t) => [
    uniqueIndex('gen_column_business_name_unique').on(t.genBusinessId, t.name),
    index('gen_column_business_sort_idx').on(t.genBusinessId, t.sort),
  ],
)

export type GenBusiness = typeof genBusiness.$inferSelect
export type NewGenBusiness = typeof genBusiness.$inferInsert
export type GenColumn = typeof genColumn.$inferSelect
export type NewGenColumn = typeof genColumn.$inferInsert
