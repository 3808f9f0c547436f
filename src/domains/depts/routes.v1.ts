/**
 * `/sys/depts/*` (docs/fba-compatibility.md, "Departments"). The caller's data permission filters the tree and hides
 * departments outside it everywhere else: their detail, update and delete are 404, and neither may be a new parent.
 */
import type { Context } from 'hono'
import type { AppEnv } from '../../http/context'
import { defineRoute, jsonBody, jsonEnvelope, nullEnvelope, z } from '../../http/openapi'
import { ok } from '../../http/respond'
import { createRouter } from '../../http/router'
import { dataPermission } from '../data-rules/data-permission'
import { scopedRecords } from '../data-rules/scoped-records'
import {
  DeptBodySchema,
  DeptDetailSchema,
  DeptPkParamSchema,
  DeptTreeQuerySchema,
  DeptTreeSchema,
  toDeptDetail,
} from './dto'
import { DEPT_PERMS } from './perms'
import { sysDept } from './schema'
import { DeptService, deptServiceDeps } from './service'

const TAGS = ['System departments']

/** Every route over existing departments: one outside the caller's data scope is a 404 (as if unknown). */
const DEPT_RECORDS = scopedRecords(sysDept, { notFound: 'dept.not_found' })

const tree = defineRoute({
  method: 'get',
  path: '/sys/depts',
  tags: TAGS,
  summary: 'The department tree (live departments the caller may see, by sort)',
  access: 'authenticated',
  dataPermission: DEPT_RECORDS,
  request: { query: DeptTreeQuerySchema },
  responses: { 200: jsonEnvelope(z.array(DeptTreeSchema), 'Department tree') },
})

const detail = defineRoute({
  method: 'get',
  path: '/sys/depts/{pk}',
  tags: TAGS,
  summary: 'A department',
  access: 'authenticated',
  dataPermission: DEPT_RECORDS,
  errors: [404],
  request: { params: DeptPkParamSchema },
  responses: { 200: jsonEnvelope(DeptDetailSchema, 'Department') },
})

const create = defineRoute({
  method: 'post',
  path: '/sys/depts',
  tags: TAGS,
  summary: 'Create a department',
  access: { permission: DEPT_PERMS.add },
  errors: [404, 409],
  request: jsonBody(DeptBodySchema),
  responses: nullEnvelope('Created'),
})

const update = defineRoute({
  method: 'put',
  path: '/sys/depts/{pk}',
  tags: TAGS,
  summary: 'Update a department (it cannot become its own ancestor)',
  access: { permission: DEPT_PERMS.edit },
  dataPermission: DEPT_RECORDS,
  errors: [404, 409],
  request: { params: DeptPkParamSchema, ...jsonBody(DeptBodySchema) },
  responses: nullEnvelope('Updated'),
})

const remove = defineRoute({
  method: 'delete',
  path: '/sys/depts/{pk}',
  tags: TAGS,
  summary: 'Delete a department (logically; refused while it has users or sub-departments)',
  access: { permission: DEPT_PERMS.delete },
  dataPermission: DEPT_RECORDS,
  errors: [404, 409],
  request: { params: DeptPkParamSchema },
  responses: nullEnvelope('Deleted'),
})

const service = (c: Context<AppEnv>) => new DeptService(deptServiceDeps(c))

export function deptRoutes() {
  return createRouter()
    .openapi(tree, async (c) => ok(c, await service(c).tree(c.req.valid('query'), dataPermission(c, sysDept))))
    .openapi(detail, async (c) => ok(c, toDeptDetail(await service(c).detail(c.req.valid('param').pk))))
    .openapi(create, async (c) => {
      await service(c).create(c.req.valid('json'), { permission: dataPermission(c, sysDept) })
      return ok(c, null)
    })
    .openapi(update, async (c) => {
      await service(c).update(c.req.valid('param').pk, c.req.valid('json'), { permission: dataPermission(c, sysDept) })
      return ok(c, null)
    })
    .openapi(remove, async (c) => {
      await service(c).delete(c.req.valid('param').pk)
      return ok(c, null)
    })
}
