/** Calls of the `/auth/*` routes that the auth, users, logs and monitors tests share. */
import type { authRoutes } from '../../../src/domains/auth/routes.v1'
import { api, type ClientOptions } from '../../helpers/harness'

/** The typed client of the `/auth/*` routes, signed in with `token` when given. */
export const authApi = (token?: string, options?: ClientOptions) => api<typeof authRoutes>(token, options)

/** One `POST /auth/login` (the raw response, success or failure); `options` for client headers and overrides. */
export const attemptLogin = (username: string, password: string, options?: ClientOptions) =>
  authApi(undefined, options).auth.login.$post({ json: { username, password } })

/** `POST /auth/refresh` with this refresh cookie (none when empty). */
export const refreshWith = (cookie: string, overrides?: ClientOptions['overrides']) =>
  authApi(undefined, { headers: cookie ? { Cookie: cookie } : {}, overrides }).auth.refresh.$post()

/** `GET /auth/codes` with this bearer token: the quickest "is this access token alive" call. */
export const codesWith = (token: string) => authApi(token).auth.codes.$get()
