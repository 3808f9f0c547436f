/**
 * The typed per-request context every router shares. Dependencies reach handlers through `c.get()` (set by the
 * `context` middleware), never through module globals that hold I/O — so a tenant-specific DB can later be chosen
 * per request without touching repositories.
 */

import type { AuthUser } from '../domains/auth/auth-user'
import type { Session } from '../domains/auth/sessions'
import type { Services } from '../infra/services'
import type { DefaultCount, Verdict } from '../middleware/rate-limit'
import type { Config } from './config'
import type { Lang } from './i18n'
import type { Logger } from './logging'
import type { ResponseHeaders } from './response-headers'
import type { ContextSettingsProvider } from './settings'

/** Worker bindings: vars and secrets are validated into `Config`; these are the non-string bindings. */
export interface Bindings {
  ASSETS?: { fetch(input: Request | string): Promise<Response> }
  [key: string]: unknown
}

export interface Variables {
  config: Config
  services: Services
  traceId: string
  /** This request's response headers (set first, by the request-context middleware). */
  responseHeaders: ResponseHeaders
  lang: Lang
  logger: Logger
  /** Resolved API version (`v1`, `v2`) for `/api` requests; the default version elsewhere. */
  apiVersion: string
  /** Set once the Bearer token is authenticated; `userId` also appears in the access log. */
  userId?: number
  user?: AuthUser
  /** Set by a plugin that backs login/user-security settings with its own storage (see core/settings.ts). */
  settingsProvider?: ContextSettingsProvider
  session?: Session
  /** The default rate-limit counters not yet sent (they join the next Redis pipeline of the request). */
  defaultCount?: DefaultCount
  /** The strictest rate-limit verdict so far (its numbers are the `RateLimit-*` headers). */
  rateLimitVerdict?: Verdict
}

export interface AppEnv {
  Bindings: Bindings
  Variables: Variables
}
