/** Shared by the department, data-rule and data-scope tests: one session per seeded user per file, JSON calls. */
import { type Body, call, jsonInit, type Overrides } from '../../helpers/app'
import { authed, login } from '../../helpers/auth'

const sessions = new Map<string, Promise<string>>()

/**
 * One session per user per test file. `test` does not allow multi-login, so logging it in again would end the
 * earlier session: always go through here.
 */
export function tokenOf(username: 'admin' | 'test'): Promise<string> {
  let token = sessions.get(username)
  if (!token) {
    token = login(username).then((s) => s.accessToken)
    sessions.set(username, token)
  }
  return token
}

export async function api(
  method: string,
  path: string,
  token: string | undefined,
  body?: unknown,
  overrides: Overrides = {},
): Promise<{ res: Response; body: Body }> {
  const init = body === undefined ? { method } : jsonInit(method, body)
  const res = token === undefined ? await call(path, init, overrides) : await authed(path, token, init, overrides)
  return { res, body: (await res.json()) as Body }
}

export const errorsOf = (body: { data: unknown }) =>
  (body.data as { errors: { loc: (string | number)[]; msg: string; type: string }[] }).errors

export const DATETIME = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/

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
