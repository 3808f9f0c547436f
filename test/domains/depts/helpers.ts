/**
 * Shared by the role, menu, department, data-rule and data-scope tests: small aids to the typed calls (`pk`, typed
 * trees), the body-validation loop, and the field lists of the response shapes.
 */
import { z } from '@hono/zod-openapi'
import { expect } from 'vitest'
import { failure, send } from '../../helpers/harness'

/** The `{ param: { pk } }` of a typed call on `…/{pk}` (the path segment is a string, as in a URL). */
export const pk = (id: number | string | null | undefined) => ({ param: { pk: String(id) } })

/**
 * A tree answer (menus, sidebar, departments) typed all the way down. Hono's client types a recursive `children`
 * as plain JSON, so the nodes are parsed with the route's own schema, and the result is checked to be the whole
 * answer (nothing stripped or added), so the test still sees exactly what the API sent.
 */
export function treeOf<T>(schema: z.ZodType<T>, data: unknown): T[] {
  const tree = z.array(schema).parse(data)
  expect(tree).toStrictEqual(data)
  return tree
}

/**
 * POSTs each body to `path` with an admin's `token` (bodies that break the schema on purpose, so untyped) and
 * expects a 422 whose first field error is at `body.<field>`.
 */
export async function expectInvalidBodies(
  path: string,
  token: string,
  cases: [payload: Record<string, unknown>, field: string][],
) {
  for (const [payload, field] of cases) {
    const { status, errors } = await failure(send('POST', path, { token, json: payload }))
    expect(status, JSON.stringify(payload)).toBe(422)
    expect(errors[0]?.loc, JSON.stringify(payload)).toEqual(['body', field])
  }
}

export const DEPT_KEYS = [
  'id',
  'name',
  'parent_id',
  'sort',
  'leader',
  'phone',
  'email',
  'status',
  'del_flag',
  'created_time',
  'updated_time',
].sort()

export const RULE_KEYS = [
  'id',
  'name',
  'model',
  'column',
  'operator',
  'expression',
  'value',
  'created_time',
  'updated_time',
].sort()

export const SCOPE_KEYS = ['id', 'name', 'status', 'created_time', 'updated_time'].sort()
