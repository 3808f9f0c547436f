/** Shared by the user-management tests: an admin token per file, the users client, users created through the API. */
import { expect } from 'vitest'
import type { userRoutes } from '../../../src/domains/users/routes.v1'
import { login } from '../../helpers/auth'
import { unique } from '../../helpers/fixtures'
import { answer, api, type ClientOptions } from '../../helpers/harness'

/** A password the policy accepts (the seeded `123456` has no letter). */
export const GOOD_PASSWORD = 'Passw0rd1'

let adminToken: Promise<string> | undefined

/** One admin session per test file (admin allows multi-login, so other logins don't end it). */
export function admin(): Promise<string> {
  adminToken ??= login('admin').then((s) => s.accessToken)
  return adminToken
}

/** The typed client of the `/sys/users` and `/emails/captcha` routes, signed in with `token`. */
export const usersApi = (token?: string, options?: ClientOptions) => api<typeof userRoutes>(token, options)

/** The same client, signed in as this file's admin. */
export const asAdmin = async (options?: ClientOptions) => usersApi(await admin(), options)

/** The status of `GET /sys/users/me` with this token: 200 while its session lives, 401 once it has ended. */
export const meStatus = async (token: string) => (await usersApi(token).sys.users.me.$get()).status

type UsersClient = ReturnType<typeof usersApi>
/** The body of `POST /sys/users` and of `PUT /sys/users/{pk}`, as their routes declare them. */
type CreateUserJson = Parameters<UsersClient['sys']['users']['$post']>[0]['json']
export type UpdateUserJson = Parameters<UsersClient['sys']['users'][':pk']['$put']>[0]['json']

/** Creates a user through `POST /sys/users` as admin (dept 1, role 1 unless told otherwise). */
export async function createUser(fields: Partial<CreateUserJson> = {}) {
  const username = fields.username ?? unique('user')
  const password = fields.password ?? GOOD_PASSWORD
  const json = { username, password, dept_id: 1, roles: [1], ...fields }
  const { status, body, data } = await answer((await asAdmin()).sys.users.$post({ json }))
  expect(status, JSON.stringify(body)).toBe(200)
  return { id: data.id, username, password, data }
}
