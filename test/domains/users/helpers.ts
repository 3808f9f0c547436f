/** Shared by the user-management tests: an admin token per file, users created through the API, JSON calls. */
import { env } from 'cloudflare:workers'
import { Redis } from '@upstash/redis/cloudflare'
import { expect } from 'vitest'
import { type Body, jsonInit, type Overrides } from '../../helpers/app'
import { authed, login } from '../../helpers/auth'
import { fileBindings } from '../../helpers/isolation'

/** A password the policy accepts (the seeded `123456` has no letter). */
export const GOOD_PASSWORD = 'Passw0rd1'

let adminToken: Promise<string> | undefined

/** One admin session per test file (admin allows multi-login, so other logins don't end it). */
export function admin(): Promise<string> {
  adminToken ??= login('admin').then((s) => s.accessToken)
  return adminToken
}

export async function api(
  method: string,
  path: string,
  token: string,
  body?: unknown,
  overrides: Overrides = {},
): Promise<{ res: Response; body: Body }> {
  const init = body === undefined ? { method } : jsonInit(method, body)
  const res = await authed(path, token, init, overrides)
  return { res, body: (await res.json()) as Body }
}

let counter = 0

/** A unique username for this file. */
export function uniqueName(prefix = 'user'): string {
  counter += 1
  return `${prefix}${counter}${crypto.randomUUID().slice(0, 6)}`
}

export interface CreatedUser {
  id: number
  username: string
  password: string
  data: Record<string, unknown>
}

/** Creates a user through `POST /sys/users` as admin (dept 1, role 1 unless told otherwise). */
export async function createUser(fields: Record<string, unknown> = {}): Promise<CreatedUser> {
  const username = (fields.username as string | undefined) ?? uniqueName()
  const password = (fields.password as string | undefined) ?? GOOD_PASSWORD
  const { res, body } = await api('POST', '/api/v1/sys/users', await admin(), {
    username,
    password,
    dept_id: 1,
    roles: [1],
    ...fields,
  })
  expect(res.status, JSON.stringify(body)).toBe(200)
  const data = body.data as Record<string, unknown>
  return { id: data.id as number, username, password, data }
}

/** A Redis client on this file's namespace (to read codes and the dev outbox, or to expire keys). */
export function fileRedis(): Redis {
  return new Redis({ url: fileBindings.UPSTASH_REDIS_REST_URL as string, token: String(env.UPSTASH_REDIS_REST_TOKEN) })
}

export const DATETIME = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/
