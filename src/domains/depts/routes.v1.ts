/**
 * `/sys/depts/*` (docs/fba-compatibility.md, "Departments"). The caller's data permission filters the tree and hides
 * departments outside it everywhere else: their detail, update and delete are 404, and neither may be a new parent.
 */
import type { Context } from 'hono'
import type { AppEnv } from '../../http/context'
import { crudRoutes } from '../../http/crud'
import { defineRoute, jsonEnvelope, z } from '../../http/openapi'
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

const service = (c: Context<AppEnv>) => new DeptService(deptServiceDeps(c))

const depts = crudRoutes({
  path: '/sys/depts',
  tags: TAGS,
  pk: DeptPkParamSchema,
  perms: DEPT_PERMS,
  dataPermission: DEPT_RECORDS,
  service,
})

export function deptRoutes() {
  return createRouter()
    .openapi(tree, async (c) => ok(c, await service(c).tree(c.req.valid('query'), dataPermission(c, sysDept))))
    .openapiRoutes([
      depts.detail({ summary: 'A department', data: DeptDetailSchema, description: 'Department' }, async (s, pk) =>
        toDeptDetail(await s.detail(pk)),
      ),
      depts.create(
        { summary: 'Create a department', errors: [404, 409], body: DeptBodySchema, description: 'Created' },
        (s, body, c) => s.create(body, { permission: dataPermission(c, sysDept) }),
      ),
      depts.update(
        {
          summary: 'Update a department (it cannot become its own ancestor)',
          errors: [409],
          body: DeptBodySchema,
          description: 'Updated',
        },
        (s, pk, body, c) => s.update(pk, body, { permission: dataPermission(c, sysDept) }),
      ),
      depts.removeOne({
        summary: 'Delete a department (logically; refused while it has users or sub-departments)',
        errors: [409],
        description: 'Deleted',
      }),
    ])
}
