/**
 * Parameter configs (docs/fba-compatibility.md, "Config plugin" and D6). Reads the admin UI repeats (`/all?type=`,
 * `/{pk}`) and the settings overrides (./settings.ts) are cached in the two-level cache under the `config` namespace;
 * every write drops the whole namespace, so the next request — a login included — sees the change.
 *
 * Values of the typed keys (the settings the core reads, and the group status switches) are checked on write: a
 * malformed one is a 422 instead of a setting that silently falls back to its default.
 *
 * Secret values (`*_PASSWORD`, `*_SECRET`, `*_TOKEN`, `*_KEY`) are write-only: reads answer them masked, and the mask
 * written back keeps the stored value (./secrets.ts).
 *
 * Every write emits `config.changed` (./events.ts) with the keys it touched, in the same batch as its rows.
 */
import { exists, inArray, sql } from 'drizzle-orm'
import type { Context } from 'hono'
import { ConflictError, type FieldError, NotFoundError, ValidationError } from '../../core/errors'
import { type Lang, t } from '../../core/i18n'
import type { PageQuery } from '../../core/pagination'
import { fillEmitted, keepEmittedIf } from '../../domains/events/emitted'
import { type EventSink, eventsOf } from '../../domains/events/outbox'
import type { AppEnv } from '../../http/context'
import type { Cache } from '../../infra/cache'
import { isUniqueViolation } from '../../infra/db/errors'
import type { ListResult, RepositoryDb } from '../../infra/db/repository'
import { required } from '../../infra/services'
import { type ConfigBody, type ConfigBulkItem, type ConfigDetail, toConfigDetail } from './dto'
import { configChanged } from './events'
import { ConfigRepository } from './repository'
import { type ConfigRow, type NewConfigRow, sysConfig } from './schema'
import { shownValue, storedValue } from './secrets'
import { CONFIG_CACHE, invalidSettingValue } from './settings'

/**
 * Reads mask secrets when a row becomes a detail (`toConfigDetail`); masking the cached answer again also covers
 * entries cached before masking existed, until they expire.
 */
const masked = (detail: ConfigDetail): ConfigDetail => ({ ...detail, value: shownValue(detail.key, detail.value) })

/** Whether writing `values` changes `row` (an update that changes nothing is no event). */
const changes = (row: ConfigRow, values: NewConfigRow) =>
  (Object.keys(values) as (keyof NewConfigRow)[]).some((column) => values[column] !== row[column])

const allKey = (type: string | undefined) => (type === undefined ? 'all' : `all:type:${type}`)
const pkKey = (id: number) => `pk:${id}`

export interface ConfigServiceDeps {
  db: RepositoryDb
  /** Undefined without Redis: reads then go to the database every time. */
  cache: Cache | undefined
  lang: Lang
  /** The request's outbox: events go in the same batch as the rows they describe. */
  events: EventSink
}

export const configServiceDeps = (c: Context<AppEnv>): ConfigServiceDeps => ({
  db: required(c.get('services').db, 'database'),
  cache: c.get('services').cache,
  lang: c.get('lang'),
  events: eventsOf(c),
})

export interface ConfigListQuery extends PageQuery {
  name?: string | undefined
  type?: string | undefined
}

export class ConfigService {
  readonly configs: ConfigRepository

  constructor(private readonly deps: ConfigServiceDeps) {
    this.configs = new ConfigRepository(deps.db)
  }

  #cached<T>(key: string, load: () => Promise<T>): Promise<T> {
    const { cache } = this.deps
    return cache ? cache.getOrLoad(CONFIG_CACHE, key, load) : load()
  }

  async #invalidate(): Promise<void> {
    await this.deps.cache?.invalidateAll(CONFIG_CACHE)
  }

  /** Every config, or those of one type (cached; secrets masked). */
  async all(type: string | undefined): Promise<ConfigDetail[]> {
    const all = await this.#cached(allKey(type), async () => (await this.configs.allOfType(type)).map(toConfigDetail))
    return all.map(masked)
  }

  /** One config (cached). */
  async detail(id: number): Promise<ConfigDetail> {
    const detail = await this.#cached(pkKey(id), async () => {
      const row = await this.configs.get(id)
      return row ? toConfigDetail(row) : null
    })
    if (!detail) throw new NotFoundError('config.not_found')
    return masked(detail)
  }

  list(query: ConfigListQuery): Promise<ListResult<ConfigRow>> {
    const { page, size, ...filters } = query
    return this.configs.list({ page, size, filters })
  }

  async create(body: ConfigBody): Promise<void> {
    this.#assertValues([body], (field) => ['body', field])
    if ((await this.configs.keysTaken([body.key])).length) this.#keyExists(body.key)
    const { db, events } = this.deps
    await this.#write(body.key, () =>
      db.batch([
        this.configs.insertQuery(this.#values(body)),
        events.emit(db, configChanged, { action: 'created', keys: [body.key] }, `config:${body.key}`),
      ]),
    )
    await this.#invalidate()
  }

  async update(id: number, body: ConfigBody): Promise<void> {
    this.#assertValues([body], (field) => ['body', field])
    const [row, taken] = await Promise.all([this.configs.get(id), this.configs.keysTaken([body.key], [id])])
    if (!row) throw new NotFoundError('config.not_found')
    if (taken.length) this.#keyExists(body.key)
    const values = this.#values(body, row)
    const keys = row.key === body.key ? [body.key] : [row.key, body.key]
    const { db, events } = this.deps
    const event = changes(row, values)
      ? [events.emit(db, configChanged, { action: 'updated', keys }, `config:${body.key}`)]
      : []
    await this.#write(body.key, () => db.batch([this.configs.updateQuery(id, values), ...event]))
    await this.#invalidate()
  }

  /**
   * Updates every listed config in one batch: 404 when any id is unknown, 409 when two items share a key or a key
   * belongs to a config not in the list. An empty list changes nothing.
   */
  async bulkUpdate(items: readonly ConfigBulkItem[]): Promise<void> {
    if (!items.length) return
    this.#assertValues(items, (field, i) => ['body', i, field])
    const ids = items.map((item) => item.id)
    const seen = new Set<number>()
    const errors: FieldError[] = []
    items.forEach((item, i) => {
      if (seen.has(item.id)) {
        const msg = t(this.deps.lang, 'config.id_duplicate', { id: item.id })
        errors.push({ loc: ['body', i, 'id'], msg, type: 'value_error' })
      }
      seen.add(item.id)
    })
    if (errors.length) throw new ValidationError(errors)
    const keys = items.map((item) => item.key)
    const [rows, taken] = await Promise.all([this.configs.getMany(ids), this.configs.keysTaken(keys, ids)])
    if (rows.length !== ids.length) throw new NotFoundError('config.not_found')
    if (new Set(keys).size !== keys.length) throw new ConflictError('config.keys_duplicate')
    const [first] = taken
    if (first !== undefined) this.#keyExists(first)

    const current = new Map(rows.map((r) => [r.id, r]))
    const changing = new Set(items.filter((item) => current.get(item.id)?.key !== item.key).map((item) => item.id))
    const updates = items.map((item) => ({ id: item.id, ...this.#values(item, current.get(item.id)) }))
    // The keys of the rows that change, a renamed row's old key too.
    const touched = updates.flatMap(({ id, ...values }) => {
      const row = current.get(id)
      if (!row || !changes(row, values)) return []
      return row.key === values.key ? [values.key] : [row.key, values.key]
    })
    const { db, events } = this.deps
    const event = touched.length
      ? [events.emit(db, configChanged, { action: 'updated', keys: [...new Set(touched)] })]
      : []
    await this.#write(keys.join(', '), () => this.configs.bulkUpdate(updates, changing, event))
    await this.#invalidate()
  }

  /** Deletes the configs (unknown ids are ignored). */
  async delete(ids: readonly number[]): Promise<void> {
    const { db, events } = this.deps
    const targets = [...new Set(ids)]
    const found = inArray(sysConfig.id, targets)
    // The keys are read inside the batch, before the delete; no event when none of the ids is there.
    await db.batch([
      events.emit(db, configChanged, { action: 'deleted', keys: [] }),
      fillEmitted(db, {
        keys: sql`json((select json_group_array(${sysConfig.key}) from ${sysConfig} where ${found}))`,
      }),
      keepEmittedIf(db, exists(db.select({ id: sysConfig.id }).from(sysConfig).where(found))),
      this.configs.deleteManyQuery(targets),
    ])
    await this.#invalidate()
  }

  /** The row to write; `stored` is the row being updated (a secret sent back masked keeps its value). */
  #values(body: ConfigBody, stored?: ConfigRow): NewConfigRow {
    return {
      name: body.name,
      type: body.type,
      key: body.key,
      value: storedValue(stored, body),
      isFrontend: body.is_frontend,
      remark: body.remark,
    }
  }

  /** 422 for a malformed value of a typed key (e.g. `USER_LOCK_THRESHOLD: 'five'`). */
  #assertValues(items: readonly ConfigBody[], loc: (field: string, index: number) => (string | number)[]): void {
    const { lang } = this.deps
    const errors: FieldError[] = []
    items.forEach((item, i) => {
      const problem = invalidSettingValue(item.key, item.value)
      if (!problem) return
      const msg =
        problem.kind === 'bool'
          ? t(lang, 'config.value_bool')
          : problem.kind === 'status'
            ? t(lang, 'config.value_status')
            : t(lang, 'config.value_int', { min: problem.min ?? 0 })
      errors.push({ loc: loc('value', i), msg, type: 'value_error' })
    })
    if (errors.length) throw new ValidationError(errors)
  }

  #keyExists(key: string): never {
    throw new ConflictError('config.key_exists', { params: { key } })
  }

  /** A write that lost a race with a concurrent one still answers the friendly 409. */
  async #write<T>(key: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run()
    } catch (err) {
      if (isUniqueViolation(err)) this.#keyExists(key)
      throw err
    }
  }
}
