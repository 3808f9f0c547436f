/**
 * The `dict` plugin's tables (docs/fba-compatibility.md, "Dict plugin"): dictionary types and their values. A value
 * belongs to its type by `type_id` (a cascading foreign key; the service also deletes values explicitly, in the same
 * batch as their types) and carries the type's `code` in `type_code`, which the admin UI looks values up by.
 */
import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core'
import { id, timestamps } from '../../infra/db/columns'

export const sysDictType = sqliteTable(
  'sys_dict_type',
  {
    id: id(),
    name: text('name', { length: 32 }).notNull(),
    code: text('code', { length: 32 }).notNull(),
    remark: text('remark'),
    ...timestamps(),
  },
  (t) => [uniqueIndex('sys_dict_type_code_unique').on(t.code)],
)

export const sysDictData = sqliteTable(
  'sys_dict_data',
  {
    id: id(),
    /** The type's `code`, copied on every write (and rewritten when the type's code changes). */
    typeCode: text('type_code', { length: 32 }).notNull(),
    label: text('label', { length: 32 }).notNull(),
    value: text('value', { length: 32 }).notNull(),
    color: text('color', { length: 32 }),
    sort: integer('sort').notNull().default(0),
    status: integer('status').notNull().default(1),
    remark: text('remark'),
    typeId: integer('type_id')
      .notNull()
      .references(() => sysDictType.id, { onDelete: 'cascade' }),
    ...timestamps(),
  },
  (t) => [
    // fba checks "same label within a type" in service code only (docs/fba-compatibility.md, D13): here it is a
    // constraint.
    uniqueIndex('sys_dict_data_type_label_unique').on(t.typeId, t.label),
    index('sys_dict_data_type_code_idx').on(t.typeCode),
  ],
)

export type DictType = typeof sysDictType.$inferSelect
export type NewDictType = typeof sysDictType.$inferInsert
export type DictData = typeof sysDictData.$inferSelect
export type NewDictData = typeof sysDictData.$inferInsert
