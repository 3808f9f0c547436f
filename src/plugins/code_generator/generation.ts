/**
 * From a stored business to generated code (docs/codegen.md): the spec of a business and its columns, the file map
 * (preview), the target paths, the ZIP download and the import of a table. The generator itself is pure
 * (./core/generate.ts); this file reads the rows it needs.
 */
import { eq, sql } from 'drizzle-orm'
import { BadRequestError, ConflictError, NotFoundError } from '../../core/errors'
import { isUniqueViolation } from '../../infra/db/errors'
import type { RepositoryDb } from '../../infra/db/repository'
import { createZip } from '../zip'
import { tableColumns } from './catalogue'
import { columnType } from './core/column-types'
import { specFromTable } from './core/from-table'
import { type GeneratedModule, generateModule } from './core/generate'
import { CodegenError, type GenBusinessSpec, GenBusinessSpecSchema } from './core/spec'
import type { ImportBody } from './dto'
import { BusinessRepository, ColumnRepository } from './repository'
import { genBusiness, genColumn } from './schema'
import { checkBusinessName } from './service'

export class GenerationService {
  readonly businesses: BusinessRepository
  readonly columns: ColumnRepository

  constructor(private readonly db: RepositoryDb) {
    this.businesses = new BusinessRepository(db)
    this.columns = new ColumnRepository(db)
  }

  /** The generator's input for a stored business (404 when unknown). */
  async spec(id: number): Promise<GenBusinessSpec> {
    const business = await this.businesses.get(id)
    if (!business) throw new NotFoundError('codegen.business_not_found')
    const columns = await this.columns.all(eq(genColumn.genBusinessId, id))
    const parsed = GenBusinessSpecSchema.safeParse({
      app_name: business.appName,
      table_name: business.tableName,
      doc_comment: business.docComment,
      table_comment: business.tableComment,
      class_name: business.className,
      schema_name: business.schemaName,
      filename: business.filename,
      datetime_mixin: business.datetimeMixin,
      api_version: business.apiVersion,
      tag: business.tag,
      gen_path: business.genPath,
      remark: business.remark,
      columns: columns.map((c) => ({
        name: c.name,
        comment: c.comment,
        type: c.type,
        default: c.default,
        sort: c.sort,
        length: c.length,
        is_pk: c.isPk,
        is_nullable: c.isNullable,
      })),
    })
    if (!parsed.success) {
      const reason = parsed.error.issues.map((i) => `${i.path.join('.') || 'business'}: ${i.message}`).join('; ')
      throw new BadRequestError('codegen.cannot_generate', { params: { reason } })
    }
    return parsed.data
  }

  /** The generated module of a business; a spec the generator refuses is a 400 saying why. */
  async generate(id: number): Promise<GeneratedModule> {
    const spec = await this.spec(id)
    try {
      return generateModule(spec)
    } catch (err) {
      if (err instanceof CodegenError)
        throw new BadRequestError('codegen.cannot_generate', { params: { reason: err.message } })
      throw err
    }
  }

  /** Where each file goes: repository-relative, under the business's `gen_path` when it has one. */
  static targetPaths(spec: GenBusinessSpec, files: Readonly<Record<string, string>>): string[] {
    const root = spec.gen_path?.replace(/\/+$/, '')
    return Object.keys(files).map((path) => (root ? `${root}/${path}` : path))
  }

  /** The ZIP of the generated files (paths as in the preview). */
  static zip(files: Readonly<Record<string, string>>, modified = new Date()): Promise<Uint8Array> {
    return createZip(
      Object.entries(files).map(([name, data]) => ({ name, data })),
      modified,
    )
  }

  /**
   * Imports a table of this database as a business with its columns, in one batch (the datetime mixin as
   * `specFromTable` decides).
   */
  async importTable(body: ImportBody): Promise<number> {
    checkBusinessName('app', body.app)
    checkBusinessName('table_name', body.table_name)
    const columns = await tableColumns(this.db, body.table_name)
    if (!columns) throw new NotFoundError('codegen.table_not_found')
    if (await this.businesses.exists({ tableName: body.table_name })) throw new ConflictError('codegen.table_exists')
    const spec = specFromTable(body.app, body.table_name, columns)
    const kept = spec.columns
    const mixin = spec.datetime_mixin ?? true
    const { db } = this
    // A concurrent import of the same table loses on the unique table name: the same 409.
    const [[created]] = await db
      .batch([
        db
          .insert(genBusiness)
          .values({ appName: body.app, tableName: body.table_name, docComment: spec.doc_comment, datetimeMixin: mixin })
          .returning({ id: genBusiness.id }),
        ...kept.map((c) =>
          db.insert(genColumn).values({
            name: c.name,
            comment: c.comment,
            type: c.type,
            pdType: columnType(c.type)?.pdType ?? 'str',
            default: c.default,
            sort: c.sort,
            length: c.length,
            isPk: c.is_pk,
            isNullable: c.is_nullable,
            genBusinessId: sql`(select id from gen_business where table_name = ${body.table_name})`,
          }),
        ),
      ])
      .catch((err: unknown) => {
        throw isUniqueViolation(err) ? new ConflictError('codegen.table_exists') : err
      })
    if (!created) throw new Error('gen_business insert returned no row')
    return created.id
  }
}
