/** Specs the golden tests generate from (one file each under ./golden/<name>/). */
import { type GenBusinessSpecInput, GenBusinessSpecSchema } from '../../../src/plugins/code_generator/core/spec'

const spec = (input: GenBusinessSpecInput) => GenBusinessSpecSchema.parse(input)

/** Every supported column type; nullable, default and not-null combinations; a camelCase and a reserved-word column. */
export const SHOP_ORDER = spec({
  app_name: 'shop',
  table_name: 'shop_order',
  doc_comment: 'Shop orders',
  table_comment: 'One row per order',
  columns: [
    { name: 'id', type: 'INTEGER', is_pk: true, sort: 0 },
    { name: 'title', type: 'VARCHAR', length: 64, comment: "The order's title", sort: 1 },
    { name: 'note', type: 'TEXT', is_nullable: true, sort: 2 },
    { name: 'quantity', type: 'INTEGER', default: '1', sort: 3 },
    { name: 'unitPrice', type: 'DECIMAL', sort: 4 },
    { name: 'weight', type: 'DOUBLE', is_nullable: true, sort: 5 },
    { name: 'paid', type: 'BOOLEAN', default: '0', sort: 6 },
    { name: 'ship_date', type: 'DATE', is_nullable: true, sort: 7 },
    { name: 'paid_at', type: 'DATETIME', is_nullable: true, sort: 8 },
    { name: 'customer_ref', type: 'BIGINT', sort: 9 },
    { name: 'default', type: 'VARCHAR', length: 16, default: "'it''s'", sort: 10 },
    { name: 'status', type: 'integer', default: '0', is_nullable: true, sort: 11 },
    { name: 'stamp', type: 'DATETIME', default: 'CURRENT_TIMESTAMP', sort: 12 },
    // The datetime mixin declares these itself.
    { name: 'created_time', type: 'INTEGER', sort: 13 },
    { name: 'updated_time', type: 'INTEGER', is_nullable: true, sort: 14 },
  ],
})

/**
 * A reserved word as the table, a v2 module, fba's class/schema/file names, no datetime mixin, no primary key in the
 * columns (the generator's `id`), snake and camel names side by side.
 */
export const CLASS_V2 = spec({
  app_name: 'School_Admin',
  table_name: 'class',
  doc_comment: 'School classes',
  class_name: 'school_class',
  schema_name: 'ClassInfo',
  filename: 'schoolClass',
  datetime_mixin: false,
  api_version: 'v2',
  tag: 'Classes',
  columns: [
    { name: 'roomNumber', type: 'INTEGER', sort: 2 },
    { name: 'teacher_name', type: 'VARCHAR', length: 32, is_nullable: true, default: "'n/a'", sort: 1 },
    { name: 'created_time', type: 'DATETIME', is_nullable: true, sort: 3 },
  ],
})
