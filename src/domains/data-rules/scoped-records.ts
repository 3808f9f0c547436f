/**
 * Data permissions beyond the list (docs/fba-compatibility.md, "Data permissions"): every route that reads, changes or
 * deletes records of a data-permission-aware table declares it, and a record outside the caller's data scope is a
 * 404 — the same answer as an unknown id, so the caller cannot even tell that it exists.
 *
 *   const USER_RECORDS = scopedRecords(sysUser, { notFound: 'user.not_found' })
 *   const detail = defineRoute({ method: 'get', path: '/sys/users/{pk}', …, dataPermission: USER_RECORDS })
 *
 * The declaration is the one place a resource gets this (a new route of it, or a generated resource, only has to
 * carry it): `defineRoute` shows it as `x-data-permission: <table>`, which the data-permission matrix test
 * (test/data-permission-matrix.test.ts) reads to try every such route with a scoped-out record, and runs its
 * middleware right after the access check — before validation, so the answer does not depend on the body:
 *   - a route with the record's id in its path (`{pk}`): the record must match the caller's condition
 *     (`dataPermission(c, table)`, one indexed query; none for an unrestricted caller), otherwise 404;
 *   - a list or tree (no id in the path): the handler passes `dataPermission(c, table)` to the repository
 *     (`list/all({ permission })`), as it must to filter the page;
 *   - a bulk write (`{pks}` in the body): the service passes the same condition to `deleteMany(ids, { permission })`,
 *     so ids outside the scope are left alone exactly like ids already gone.
 */
import { eq, getTableName } from 'drizzle-orm'
import { createMiddleware } from 'hono/factory'
import { NotFoundError } from '../../core/errors'
import type { MessageKey } from '../../core/i18n'
import type { AppEnv } from '../../http/context'
import type { DataPermissionDeclaration } from '../../http/openapi'
import { Repository, type TableWithId } from '../../infra/db/repository'
import { required } from '../../infra/services'
import { dataPermission } from './data-permission'

export interface ScopedRecordsOptions {
  /** The 404's message: the one the route answers for an unknown id, so a hidden record reads exactly like one. */
  notFound: MessageKey
  /** The path parameter holding the record's id (default `pk`). */
  param?: string
}

/** A path value that is a record id; anything else is left to the route's validation (422). */
function recordId(raw: string | undefined): number | undefined {
  if (raw === undefined || !/^\d+$/.test(raw)) return undefined
  const id = Number(raw)
  return Number.isSafeInteger(id) && id > 0 ? id : undefined
}

/** The `dataPermission` declaration of routes over `table`'s records (see the module comment). */
export function scopedRecords(table: TableWithId, options: ScopedRecordsOptions): DataPermissionDeclaration {
  const param = options.param ?? 'pk'
  return {
    table: getTableName(table),
    middleware: createMiddleware<AppEnv>(async (c, next) => {
      const id = recordId(c.req.param(param))
      const permission = id === undefined ? undefined : dataPermission(c, table)
      if (id !== undefined && permission) {
        const records = new Repository(required(c.get('services').db, 'database'), table)
        if (!(await records.exists(eq(table.id, id), { permission }))) throw new NotFoundError(options.notFound)
      }
      await next()
    }),
  }
}
