/**
 * The CRUD route factory (docs/crud.md): the list, all, detail, create, update and delete routes of a resource,
 * declared with `defineRoute` (so access, data permission and the OpenAPI document are what a hand-written route
 * gets) and answered in the envelope. A module builds the operations it has and registers them, in order, with
 * `createRouter().openapiRoutes([...])`, which keeps the typed client's inference:
 *
 *   const notices = crudRoutes({ path: '/sys/notices', tags, pk: NoticePkParamSchema, perms: NOTICE_PERMS,
 *     service: (c) => new NoticeService(noticeServiceDeps(c)) })
 *   createRouter().openapiRoutes([
 *     notices.detail({ summary, data: NoticeDetailSchema, description }, async (s, pk) => toDetail(await s.get(pk))),
 *     notices.remove({ summary, body: DeleteNoticesBodySchema, description }, (s, { pks }) => s.delete(pks)),
 *   ])
 *
 * Routes that are not plain CRUD stay hand-written beside it (`.openapi(route, handler)` before or after).
 */
import type { Context, Handler } from 'hono'
import type { envelopeOf } from '../core/envelope'
import { type PageQuery, toPage } from '../core/pagination'
import type { Access } from './access'
import type { AppEnv } from './context'
import {
  type DataPermissionDeclaration,
  defineRoute,
  jsonBody,
  jsonEnvelope,
  type StratumRouteConfig,
  z,
} from './openapi'
import { ok } from './respond'

/** The params schema of an item path's `{pk}`. */
export type PkParamSchema = z.ZodObject<{ pk: z.ZodType }>

export interface CrudBase<Path extends string, Pk extends PkParamSchema, Svc> {
  /** The collection path (`/sys/notices`); item routes are `<path>/{pk}`, `all` is `<path>/all`. */
  path: Path
  tags: string[]
  pk: Pk
  /** The domain service of this request, built from the typed context. */
  service: (c: Context<AppEnv>) => Svc
  /**
   * The records' data permission (`scopedRecords(table, …)`), declared on every operation over existing records:
   * list, all, detail, update, remove, removeOne (not create).
   */
  dataPermission?: DataPermissionDeclaration
  /**
   * The resource's permission codes (the domain's `perms.ts` object fits as is): each write needs its code (`add`,
   * `edit`, `delete`); reads need `list` when given, a signed-in user otherwise. An operation's own `access` wins.
   */
  perms?: CrudPerms
  /** The reads (all, list, detail) are sensitive (`defineRoute`'s `sensitive`: they need `perms.list`). */
  sensitive?: true
}

export interface CrudPerms {
  list?: string
  add?: string
  edit?: string
  delete?: string
}

/** Which of the base's permission codes an operation needs. */
type Need = 'read' | keyof Omit<CrudPerms, 'list'>

/** What every operation declares. */
export interface OpOptions {
  summary: string
  /** Who may call it; default from the base's `perms` (see `CrudBase.perms`). */
  access?: Access
  /** The 200 answer's description. */
  description: string
  /** Error statuses besides the common ones (detail, update and removeOne always document 404). */
  errors?: StratumRouteConfig['errors']
  sensitive?: true
  /** Overrides the base's declaration; `false` opts this operation out. */
  dataPermission?: DataPermissionDeclaration | false
}

type Json<T> = { 'application/json': { schema: T } }
type Ok<T extends z.ZodType> = { 200: { description: string; content: Json<ReturnType<typeof envelopeOf<T>>> } }
type JsonBody<B> = { body: { content: Json<B>; required: true } }
/** The route type `openapiRoutes` reads (method, path, inputs, answer) for the typed client. */
type CrudRoute<M extends 'get' | 'post' | 'put' | 'delete', P extends string, Req, D extends z.ZodType> = {
  method: M
  path: P
  request: Req
  responses: Ok<D>
}
export interface CrudEntry<R> {
  route: R
  handler: Handler<AppEnv>
}

/** A list's query schema: the page parameters and the list's filters (`PageQuerySchema.extend({...})`). */
type PageQueryParam = z.ZodObject & z.ZodType<PageQuery>
type PkOf<Pk extends PkParamSchema> = z.infer<Pk>['pk']
type ItemOf<Pg extends z.ZodType> = z.infer<Pg> extends { items: (infer I)[] } ? I : never
type Paged<T> = { items: T[]; total: number }
/**
 * The handler argument of a write: optional when the service has the conventional method (`create(body)`,
 * `update(pk, body)`, `delete(pks)` / `delete(pk)`), which then runs.
 */
type RunArg<Fn, Conventional extends boolean> = Conventional extends true ? [run?: Fn] : [run: Fn]
type Has<Svc, M extends string, Args extends unknown[], R = unknown> = Svc extends {
  [K in M]: (...args: Args) => Promise<R>
}
  ? true
  : false
/** A bulk delete runs `delete(pks)` by itself only for a `{ pks }` body. */
type HasBulkDelete<Svc, B extends z.ZodType> = z.infer<B> extends { pks: infer P } ? Has<Svc, 'delete', [P]> : false
/** The conventional service methods the writes call when given no handler. */
interface Conventional {
  create(body: unknown): Promise<unknown>
  update(pk: unknown, body: unknown): Promise<unknown>
  delete(pks: unknown): Promise<unknown>
}
const conventional = (svc: unknown) => svc as Conventional
type Ctx = Context<AppEnv>

/** The validated inputs of a request (the route's middleware and validators ran before the handler). */
interface Valid {
  param: { pk: unknown }
  query: PageQuery
  json: unknown
}
// `c.req.valid` is typed by a route's input; these handlers serve every resource, so the targets are typed here.
const valid = <K extends keyof Valid>(c: Ctx, target: K): Valid[K] => (c.req.valid as (target: K) => Valid[K])(target)

const ITEM = '/{pk}'

export class CrudRoutes<Path extends string, Pk extends PkParamSchema, Svc> {
  constructor(private readonly base: CrudBase<Path, Pk, Svc>) {}

  /** GET `<path>/all`: every record (register it before `detail`). */
  all<D extends z.ZodType, Q extends z.ZodObject | undefined = undefined>(
    options: OpOptions & { data: D; query?: Q },
    run: (svc: Svc, query: Q extends z.ZodObject ? z.infer<Q> : undefined, c: Ctx) => Promise<z.infer<D>[]>,
  ): CrudEntry<CrudRoute<'get', `${Path}/all`, Q extends z.ZodObject ? { query: Q } : object, z.ZodArray<D>>> {
    const { data, query, ...op } = options
    return this.entry('get', '/all', op, 'read', query ? { query } : undefined, z.array(data), (svc, c) =>
      run(svc, (query ? valid(c, 'query') : undefined) as Q extends z.ZodObject ? z.infer<Q> : undefined, c),
    )
  }

  /** GET `<path>`: a page (`?page=&size=` and the query's filters); `item` maps each row to its answer. */
  list<Q extends PageQueryParam, Pg extends z.ZodType>(
    options: OpOptions & { query: Q; page: Pg },
    run: (svc: Svc, query: z.infer<Q>, c: Ctx) => Promise<Paged<ItemOf<Pg>>>,
  ): CrudEntry<CrudRoute<'get', Path, { query: Q }, Pg>>
  list<Q extends PageQueryParam, Pg extends z.ZodType, Row>(
    options: OpOptions & { query: Q; page: Pg },
    run: (svc: Svc, query: z.infer<Q>, c: Ctx) => Promise<Paged<Row>>,
    item: (row: Row) => ItemOf<Pg>,
  ): CrudEntry<CrudRoute<'get', Path, { query: Q }, Pg>>
  list<Q extends PageQueryParam, Pg extends z.ZodType, Row>(
    options: OpOptions & { query: Q; page: Pg },
    run: (svc: Svc, query: z.infer<Q>, c: Ctx) => Promise<Paged<Row>>,
    item?: (row: Row) => ItemOf<Pg>,
  ): CrudEntry<CrudRoute<'get', Path, { query: Q }, Pg>> {
    const { query, page, ...op } = options
    return this.entry('get', '', op, 'read', { query }, page, async (svc, c) => {
      const params = valid(c, 'query') as z.infer<Q>
      const { items, total } = await run(svc, params, c)
      const answers: unknown[] = item ? items.map(item) : items
      return toPage(answers, total, params, c.req.url)
    })
  }

  /** GET `<path>/{pk}`: one record (404 when unknown). */
  detail<D extends z.ZodType>(
    options: OpOptions & { data: D },
    run: (svc: Svc, pk: PkOf<Pk>, c: Ctx) => Promise<z.infer<D>>,
  ): CrudEntry<CrudRoute<'get', `${Path}/{pk}`, { params: Pk }, D>> {
    const { data, ...op } = options
    return this.entry('get', ITEM, op, 'read', { params: this.base.pk }, data, (svc, c) => run(svc, this.pk(c), c))
  }

  /**
   * POST `<path>`: answers `data` when declared (the new record), `null` otherwise. Without `run`, the service's
   * `create(body)`.
   */
  create<B extends z.ZodType, D extends z.ZodType | undefined = undefined>(
    options: OpOptions & { body: B; data?: D },
    ...[run]: RunArg<
      (svc: Svc, body: z.infer<B>, c: Ctx) => Promise<D extends z.ZodType ? z.infer<D> : unknown>,
      Has<Svc, 'create', [z.infer<B>], D extends z.ZodType ? z.infer<D> : unknown>
    >
  ): CrudEntry<CrudRoute<'post', Path, JsonBody<B>, D extends z.ZodType ? D : z.ZodNull>> {
    const { body, data, ...op } = options
    const answer = data ?? z.null()
    return this.entry('post', '', op, 'add', jsonBody(body), answer, async (svc, c) => {
      const input = valid(c, 'json') as z.infer<B>
      const created = await (run ? run(svc, input, c) : conventional(svc).create(input))
      return data ? created : null
    })
  }

  /** PUT `<path>/{pk}`: replaces a record (404 when unknown); answers `null`. Without `run`, `update(pk, body)`. */
  update<B extends z.ZodType>(
    options: OpOptions & { body: B },
    ...[run]: RunArg<
      (svc: Svc, pk: PkOf<Pk>, body: z.infer<B>, c: Ctx) => Promise<unknown>,
      Has<Svc, 'update', [PkOf<Pk>, z.infer<B>]>
    >
  ): CrudEntry<CrudRoute<'put', `${Path}/{pk}`, { params: Pk } & JsonBody<B>, z.ZodNull>> {
    const { body, ...op } = options
    const request = { params: this.base.pk, ...jsonBody(body) }
    return this.entry('put', ITEM, op, 'edit', request, z.null(), async (svc, c) => {
      const input = valid(c, 'json') as z.infer<B>
      await (run ? run(svc, this.pk(c), input, c) : conventional(svc).update(this.pk(c), input))
      return null
    })
  }

  /**
   * DELETE `<path>` with a body (`{pks}`, or whatever `body` declares): bulk delete; answers `null`. Without `run`,
   * the service's `delete(pks)`.
   */
  remove<B extends z.ZodType>(
    options: OpOptions & { body: B },
    ...[run]: RunArg<(svc: Svc, body: z.infer<B>, c: Ctx) => Promise<unknown>, HasBulkDelete<Svc, B>>
  ): CrudEntry<CrudRoute<'delete', Path, JsonBody<B>, z.ZodNull>> {
    const { body, ...op } = options
    return this.entry('delete', '', op, 'delete', jsonBody(body), z.null(), async (svc, c) => {
      const input = valid(c, 'json') as z.infer<B>
      await (run ? run(svc, input, c) : conventional(svc).delete((input as { pks: unknown }).pks))
      return null
    })
  }

  /** DELETE `<path>/{pk}`: deletes one record (404 when unknown); answers `null`. Without `run`, `delete(pk)`. */
  removeOne(
    options: OpOptions,
    ...[run]: RunArg<(svc: Svc, pk: PkOf<Pk>, c: Ctx) => Promise<unknown>, Has<Svc, 'delete', [PkOf<Pk>]>>
  ): CrudEntry<CrudRoute<'delete', `${Path}/{pk}`, { params: Pk }, z.ZodNull>> {
    const request = { params: this.base.pk }
    return this.entry('delete', ITEM, options, 'delete', request, z.null(), async (svc, c) => {
      await (run ? run(svc, this.pk(c), c) : conventional(svc).delete(this.pk(c)))
      return null
    })
  }

  private accessFor(need: Need): Access {
    const code = this.base.perms?.[need === 'read' ? 'list' : need]
    if (code) return { permission: code }
    if (need === 'read') return 'authenticated'
    throw new Error(`${this.base.path}: no access for its ${need} operation (give perms.${need} or access)`)
  }

  private pk(c: Ctx): PkOf<Pk> {
    return valid(c, 'param').pk as PkOf<Pk>
  }

  /**
   * Declares one operation and its handler. `need`: the base's permission code it needs; all but `add` work on
   * existing records, so they carry the base's data permission.
   */
  private entry<R>(
    method: 'get' | 'post' | 'put' | 'delete',
    suffix: string,
    op: OpOptions,
    need: Need,
    request: StratumRouteConfig['request'],
    answer: z.ZodType,
    answerOf: (svc: Svc, c: Ctx) => Promise<unknown>,
  ): CrudEntry<R> {
    const { summary, description, errors = [], dataPermission } = op
    const existing = need !== 'add'
    const scope =
      dataPermission === false ? undefined : (dataPermission ?? (existing ? this.base.dataPermission : undefined))
    const sensitive = op.sensitive ?? (need === 'read' ? this.base.sensitive : undefined)
    const access = op.access ?? this.accessFor(need)
    const route = defineRoute({
      method,
      path: `${this.base.path}${suffix}`,
      tags: this.base.tags,
      summary,
      access,
      ...(sensitive ? { sensitive } : {}),
      ...(scope ? { dataPermission: scope } : {}),
      errors: suffix === ITEM ? [404, ...errors.filter((s) => s !== 404)] : errors,
      ...(request ? { request } : {}),
      responses: { 200: jsonEnvelope(answer, description) },
    })
    const handler: Handler<AppEnv> = async (c) => ok(c, await answerOf(this.base.service(c), c))
    // The route's precise type is the one the operation's signature declares (`openapiRoutes` reads it for the
    // typed client); `defineRoute`'s own inferred type is wider here because the schemas are generic.
    return { route: route as unknown as R, handler }
  }
}

/** The CRUD route builders of one resource (see the file comment). */
export function crudRoutes<const Path extends string, Pk extends PkParamSchema, Svc>(
  base: CrudBase<Path, Pk, Svc>,
): CrudRoutes<Path, Pk, Svc> {
  return new CrudRoutes(base)
}
