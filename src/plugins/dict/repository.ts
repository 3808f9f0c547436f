/** `sys_dict_type` and `sys_dict_data`: lookups, paged lists and the batched writes the service composes. */
import { and, asc, desc, eq, inArray, ne } from 'drizzle-orm'
import { filter } from '../../infra/db/filters'
import { Repository, type RepositoryDb } from '../../infra/db/repository'
import { type NewDictType, sysDictData, sysDictType } from './schema'

export class DictTypeRepository extends Repository<typeof sysDictType> {
  constructor(db: RepositoryDb) {
    super(db, sysDictType, {
      filters: { name: filter.like(sysDictType.name), code: filter.like(sysDictType.code) },
      sorts: { id: sysDictType.id },
      defaultOrder: [desc(sysDictType.id)],
    })
  }

  /** Whether another type (not `exceptId`) has this code. */
  codeTaken(code: string, exceptId?: number): Promise<boolean> {
    return this.exists(
      and(eq(sysDictType.code, code), exceptId === undefined ? undefined : ne(sysDictType.id, exceptId)),
    )
  }

  /** Updates the type and, when its code changes, the `type_code` its values carry — one batch. */
  async updateWithValues(id: number, values: Pick<NewDictType, 'name' | 'code' | 'remark'>): Promise<void> {
    await this.db.batch([
      this.updateQuery(id, values),
      this.db
        .update(sysDictData)
        .set({ typeCode: values.code, updatedTime: new Date() })
        .where(and(eq(sysDictData.typeId, id), ne(sysDictData.typeCode, values.code))),
    ])
  }

  /** The types and all their values, as one batch (all or nothing). */
  async deleteWithValues(ids: readonly number[]): Promise<void> {
    if (!ids.length) return
    await this.db.batch([
      this.db.delete(sysDictData).where(inArray(sysDictData.typeId, [...ids])),
      this.deleteManyQuery(ids),
    ])
  }
}

export class DictDataRepository extends Repository<typeof sysDictData> {
  constructor(db: RepositoryDb) {
    super(db, sysDictData, {
      filters: {
        type_code: filter.eq(sysDictData.typeCode),
        label: filter.like(sysDictData.label),
        value: filter.like(sysDictData.value),
        status: filter.eq(sysDictData.status),
        type_id: filter.eq(sysDictData.typeId),
      },
      sorts: { id: sysDictData.id, sort: sysDictData.sort },
      defaultOrder: [asc(sysDictData.sort), asc(sysDictData.id)],
    })
  }

  /** Whether another value (not `exceptId`) of the type has this label. */
  labelTaken(typeId: number, label: string, exceptId?: number): Promise<boolean> {
    return this.exists(
      and(
        eq(sysDictData.typeId, typeId),
        eq(sysDictData.label, label),
        exceptId === undefined ? undefined : ne(sysDictData.id, exceptId),
      ),
    )
  }

  /** The enabled values of a type, by its code, highest `sort` first (fba's order for the UI's lookups). */
  enabledByTypeCode(code: string) {
    return this.db
      .select()
      .from(sysDictData)
      .where(and(eq(sysDictData.typeCode, code), eq(sysDictData.status, 1)))
      .orderBy(desc(sysDictData.sort), asc(sysDictData.id))
  }
}
