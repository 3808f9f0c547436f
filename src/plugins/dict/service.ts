/**
 * Dictionary types and values (docs/fba-compatibility.md, "Dict plugin"). The admin UI looks values up by type code on
 * nearly every page, so those lookups (and single values) are cached in the two-level cache under the `dict`
 * namespace; every write — type or value, create, update or delete — drops the whole namespace (fba forgets types and
 * value creation).
 */
import type { Context } from 'hono'
import { ConflictError, NotFoundError } from '../../core/errors'
import type { PageQuery } from '../../core/pagination'
import type { AppEnv } from '../../http/context'
import type { Cache } from '../../infra/cache'
import { isConstraintViolation, isUniqueViolation, violatedColumns } from '../../infra/db/errors'
import type { ListResult, RepositoryDb } from '../../infra/db/repository'
import { required } from '../../infra/services'
import { type DictDataBody, type DictDataDetail, type DictTypeBody, toDictDataDetail } from './dto'
import { DictDataRepository, DictTypeRepository } from './repository'
import type { DictData, DictType, NewDictData } from './schema'

/** Cache namespace of every dictionary lookup. */
export const DICT_CACHE = 'dict'
const typeCodeKey = (code: string) => `type:${code}`
const dataKey = (id: number) => `data:${id}`

export interface DictServiceDeps {
  db: RepositoryDb
  /** Undefined without Redis: lookups then go to the database every time. */
  cache: Cache | undefined
}

export const dictServiceDeps = (c: Context<AppEnv>): DictServiceDeps => ({
  db: required(c.get('services').db, 'database'),
  cache: c.get('services').cache,
})

export interface DictTypeListQuery extends PageQuery {
  name?: string | undefined
  code?: string | undefined
}

export interface DictDataListQuery extends PageQuery {
  type_code?: string | undefined
  label?: string | undefined
  value?: string | undefined
  status?: number | undefined
  type_id?: number | undefined
}

export class DictService {
  readonly types: DictTypeRepository
  readonly datas: DictDataRepository

  constructor(private readonly deps: DictServiceDeps) {
    this.types = new DictTypeRepository(deps.db)
    this.datas = new DictDataRepository(deps.db)
  }

  #cached<T>(key: string, load: () => Promise<T>): Promise<T> {
    const { cache } = this.deps
    return cache ? cache.getOrLoad(DICT_CACHE, key, load) : load()
  }

  async #invalidate(): Promise<void> {
    await this.deps.cache?.invalidateAll(DICT_CACHE)
  }

  // ---- types ------------------------------------------------------------------------------------------------------

  allTypes(): Promise<DictType[]> {
    return this.types.all()
  }

  listTypes(query: DictTypeListQuery): Promise<ListResult<DictType>> {
    const { page, size, ...filters } = query
    return this.types.list({ page, size, filters })
  }

  async type(id: number): Promise<DictType> {
    const type = await this.types.get(id)
    if (!type) throw new NotFoundError('dict.type_not_found')
    return type
  }

  async createType(body: DictTypeBody): Promise<void> {
    if (await this.types.codeTaken(body.code)) throw new ConflictError('dict.type_exists')
    await this.#write(() => this.types.create({ name: body.name, code: body.code, remark: body.remark }))
    await this.#invalidate()
  }

  /** Updates a type; a new code is carried over to its values in the same batch (fba leaves them stale). */
  async updateType(id: number, body: DictTypeBody): Promise<void> {
    const [type, taken] = await Promise.all([this.types.get(id), this.types.codeTaken(body.code, id)])
    if (!type) throw new NotFoundError('dict.type_not_found')
    if (taken) throw new ConflictError('dict.type_exists')
    await this.#write(() => this.types.updateWithValues(id, { name: body.name, code: body.code, remark: body.remark }))
    await this.#invalidate()
  }

  /** Deletes the types and their values in one batch (unknown ids are ignored). */
  async deleteTypes(ids: readonly number[]): Promise<void> {
    await this.types.deleteWithValues([...new Set(ids)])
    await this.#invalidate()
  }

  // ---- values -----------------------------------------------------------------------------------------------------

  allDatas(): Promise<DictData[]> {
    return this.datas.all()
  }

  listDatas(query: DictDataListQuery): Promise<ListResult<DictData>> {
    const { page, size, ...filters } = query
    return this.datas.list({ page, size, filters })
  }

  /** One value (cached). */
  async data(id: number): Promise<DictDataDetail> {
    const detail = await this.#cached(dataKey(id), async () => {
      const row = await this.datas.get(id)
      return row ? toDictDataDetail(row) : null
    })
    if (!detail) throw new NotFoundError('dict.data_not_found')
    return detail
  }

  /** The enabled values of a type, highest `sort` first (cached; an empty answer too); 404 when there are none. */
  async datasByTypeCode(code: string): Promise<DictDataDetail[]> {
    const rows = await this.#cached(typeCodeKey(code), async () =>
      (await this.datas.enabledByTypeCode(code)).map(toDictDataDetail),
    )
    if (!rows.length) throw new NotFoundError('dict.data_not_found')
    return rows
  }

  async createData(body: DictDataBody): Promise<void> {
    const type = await this.#typeForData(body)
    if (await this.datas.labelTaken(type.id, body.label)) throw new ConflictError('dict.data_exists')
    await this.#write(() => this.datas.create(this.#dataValues(body, type)))
    await this.#invalidate()
  }

  async updateData(id: number, body: DictDataBody): Promise<void> {
    const data = await this.datas.get(id)
    if (!data) throw new NotFoundError('dict.data_not_found')
    const type = await this.#typeForData(body)
    if (await this.datas.labelTaken(type.id, body.label, id)) throw new ConflictError('dict.data_exists')
    await this.#write(() => this.datas.update(id, this.#dataValues(body, type)))
    await this.#invalidate()
  }

  async deleteDatas(ids: readonly number[]): Promise<void> {
    await this.datas.deleteMany([...new Set(ids)])
    await this.#invalidate()
  }

  async #typeForData(body: DictDataBody): Promise<DictType> {
    const type = await this.types.get(body.type_id)
    if (!type) throw new NotFoundError('dict.type_not_found')
    return type
  }

  #dataValues(body: DictDataBody, type: DictType): NewDictData {
    return {
      typeId: type.id,
      typeCode: type.code,
      label: body.label,
      value: body.value,
      color: body.color,
      sort: body.sort,
      status: body.status,
      remark: body.remark,
    }
  }

  /** A write that lost a race with a concurrent one still answers the friendly 409 (or 404 for a deleted type). */
  async #write<T>(run: () => Promise<T>): Promise<T> {
    try {
      return await run()
    } catch (err) {
      if (isConstraintViolation(err, 'FOREIGNKEY')) throw new NotFoundError('dict.type_not_found')
      if (!isUniqueViolation(err)) throw err
      const columns = violatedColumns(err)
      const onType = columns.some((c) => c.startsWith('sys_dict_type.'))
      throw new ConflictError(onType ? 'dict.type_exists' : 'dict.data_exists')
    }
  }
}
