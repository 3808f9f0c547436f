/** The generated module's data files: `schema.ts`, `repository.ts`, `dto.ts`. */
import { commentText, defaultLiteral, sortNames, str } from './literal'
import type { Model, ModelColumn } from './model'

const KIND = { integer: 'number', real: 'number', numeric: 'string', text: 'string' } as const

function defaultKind(column: ModelColumn): 'number' | 'boolean' | 'string' | 'date' {
  if (column.type.name === 'BOOLEAN') return 'boolean'
  if (column.type.output === 'datetime' || column.type.name === 'DATE') return 'date'
  return KIND[column.type.drizzle.builder]
}

function drizzleColumn(column: ModelColumn): { code: string; sql: boolean } {
  const { builder, options } = column.type.drizzle
  const opts = column.length ? `{ length: ${column.length} }` : options
  let code = `${builder}(${str(column.sql)}${opts ? `, ${opts}` : ''})`
  if (!column.nullable) code += '.notNull()'
  let sql = false
  if (column.default !== null) {
    const value = defaultLiteral(column.default, defaultKind(column))
    code += `.default(${value.code})`
    sql = value.sql
  }
  return { code, sql }
}

export function renderSchema(m: Model): string {
  const columns = m.columns.map((c) => ({ c, ...drizzleColumn(c) }))
  const builders = [...new Set(m.columns.map((c) => c.type.drizzle.builder))].sort()
  const helpers = [
    'id',
    ...(columns.some((c) => c.code.includes('SQL_NOW_MS')) ? ['SQL_NOW_MS'] : []),
    ...(m.timestamps ? ['timestamps'] : []),
  ]
  const lines = [
    `/** ${commentText(m.spec.doc_comment)} (\`${m.spec.table_name}\`${m.spec.table_comment ? `: ${commentText(m.spec.table_comment)}` : ''}). */`,
    ...(columns.some((c) => c.sql) ? ["import { sql } from 'drizzle-orm'"] : []),
    `import { ${[...builders, 'sqliteTable'].sort().join(', ')} } from 'drizzle-orm/sqlite-core'`,
    `import { ${sortNames(helpers).join(', ')} } from '../../infra/db/columns'`,
    '',
    `export const ${m.table} = sqliteTable(${str(m.spec.table_name)}, {`,
    '  id: id(),',
    ...columns.flatMap(({ c, code }) => [
      ...(c.comment ? [`  /** ${commentText(c.comment)} */`] : []),
      `  ${c.prop}: ${code},`,
    ]),
    ...(m.timestamps ? ['  ...timestamps(),'] : []),
    '})',
    '',
    `export type ${m.className} = typeof ${m.table}.$inferSelect`,
    `export type New${m.className} = typeof ${m.table}.$inferInsert`,
  ]
  return `${lines.join('\n')}\n`
}

export function renderRepository(m: Model): string {
  const filters = m.columns.filter((c) => c.type.filter === 'like' || c.type.filter === 'eq-int')
  const lines = [
    `/** \`${m.spec.table_name}\`: paged list with its filters, newest first. */`,
    "import { desc } from 'drizzle-orm'",
    ...(filters.length ? ["import { filter } from '../../infra/db/filters'"] : []),
    "import { Repository, type RepositoryDb } from '../../infra/db/repository'",
    `import { ${m.table} } from './schema'`,
    '',
    `export class ${m.className}Repository extends Repository<typeof ${m.table}> {`,
    '  constructor(db: RepositoryDb) {',
    `    super(db, ${m.table}, {`,
    ...(filters.length
      ? [
          '      filters: {',
          ...filters.map(
            (c) => `        ${c.wire}: filter.${c.type.filter === 'like' ? 'like' : 'eq'}(${m.table}.${c.prop}),`,
          ),
          '      },',
        ]
      : []),
    `      defaultOrder: [desc(${m.table}.id)],`,
    '    })',
    '  }',
    '}',
  ]
  return `${lines.join('\n')}\n`
}

function bodyField(c: ModelColumn): string {
  let zod = c.type.zod.replace('{max}', String(c.length || 65_535))
  if (c.nullable) zod += '.nullable().optional()'
  else if (c.default !== null) zod += '.optional()'
  return `    ${c.wire}: ${zod},`
}

function detailValue(c: ModelColumn): string {
  if (c.type.output === 'datetime')
    return c.nullable ? `formatDateTime(row.${c.prop})` : `formatDateTime(row.${c.prop}) ?? ''`
  return `row.${c.prop}`
}

function queryField(c: ModelColumn): string {
  const what = capitalize(c.comment ?? c.label)
  const description = str(c.type.filter === 'like' ? `${what} contains` : `${what} equals`)
  if (c.type.filter === 'like') return `  ${c.wire}: optionalTextQuery(${c.length || 256}, ${description}),`
  return `  ${c.wire}: optionalIntQuery(${description}),`
}

export function renderDto(m: Model): string {
  const S = m.schemaName
  const filters = m.columns.filter((c) => c.type.filter === 'like' || c.type.filter === 'eq-int')
  const datetimes = m.timestamps || m.columns.some((c) => c.type.output === 'datetime')
  const coreSchemas = [
    ...CORE_ZOD_HELPERS.filter((helper) => m.columns.some((c) => c.type.zod.startsWith(`${helper}(`))),
    ...(filters.some((c) => c.type.filter === 'eq-int') ? ['optionalIntQuery'] : []),
    ...(filters.some((c) => c.type.filter === 'like') ? ['optionalTextQuery'] : []),
    'pkParam',
    'pksBody',
  ]
  const lines = [
    `/** ${commentText(m.spec.doc_comment)}: request and response shapes. */`,
    "import { z } from '@hono/zod-openapi'",
    ...(datetimes ? ["import { formatDateTime } from '../../core/datetime'"] : []),
    "import { PageQuerySchema, pageSchema } from '../../core/pagination'",
    `import { ${coreSchemas.join(', ')} } from '../../core/schemas'`,
    `import type { ${sortNames([m.className, `New${m.className}`]).join(', ')} } from './schema'`,
    '',
    '// ---- responses -----------------------------------------------------------------------------------------------------',
    '',
    `export const ${S}DetailSchema = z`,
    '  .object({',
    '    id: z.number().int(),',
    ...m.columns.map((c) => `    ${c.wire}: ${c.type.response}${c.nullable ? '.nullable()' : ''},`),
    ...(m.timestamps ? ['    created_time: z.string(),', '    updated_time: z.string().nullable(),'] : []),
    '  })',
    `  .openapi('${S}Detail')`,
    '',
    `export type ${S}Detail = z.infer<typeof ${S}DetailSchema>`,
    '',
    `export const Page${S}DetailSchema = pageSchema(${S}DetailSchema).openapi('Page${S}Detail')`,
    '',
    `export function to${S}Detail(row: ${m.className}): ${S}Detail {`,
    '  return {',
    '    id: row.id,',
    ...m.columns.map((c) => `    ${c.wire}: ${detailValue(c)},`),
    ...(m.timestamps
      ? [
          "    created_time: formatDateTime(row.createdTime) ?? '',",
          '    updated_time: formatDateTime(row.updatedTime),',
        ]
      : []),
    '  }',
    '}',
    '',
    '// ---- requests ------------------------------------------------------------------------------------------------------',
    '',
    ...(filters.length
      ? [`export const ${S}ListQuerySchema = PageQuerySchema.extend({`, ...filters.map(queryField), '})']
      : [`export const ${S}ListQuerySchema = PageQuerySchema`]),
    '',
    `export type ${S}ListQuery = z.infer<typeof ${S}ListQuerySchema>`,
    '',
    `export const ${S}PkParamSchema = pkParam(${str(`${capitalize(m.label)} id`)})`,
    '',
    '/** Create and update take the same body. */',
    `export const ${S}BodySchema = z`,
    '  .object({',
    ...m.columns.map(bodyField),
    '  })',
    `  .openapi('${S}Body')`,
    '',
    `export type ${S}Body = z.infer<typeof ${S}BodySchema>`,
    '',
    `export function to${m.className}Values(body: ${S}Body): New${m.className} {`,
    '  return {',
    ...m.columns.map((c) => `    ${c.prop}: body.${c.wire},`),
    '  }',
    '}',
    '',
    `export const Delete${S}sBodySchema = pksBody('Delete${S}sBody')`,
  ]
  return `${lines.join('\n')}\n`
}

/** Body helpers of src/core/schemas.ts the type table's zod may name, in Biome's import order. */
const CORE_ZOD_HELPERS = ['dateTimeText', 'decimalText']

export const capitalize = (text: string) => text.charAt(0).toUpperCase() + text.slice(1)
