/**
 * The typed per-request context every router shares. Dependencies reach handlers through `c.get()` (set by the
 * request-context middleware), never through module globals that hold I/O — so a tenant-specific DB can later be
 * chosen per request without touching repositories.
 *
 * This file declares what the HTTP layer itself sets. A module above it that owns another per-request value adds
 * it to `Variables` by declaration merging, next to the code that sets it, e.g. the auth domain's user and session
 * (domains/auth/authenticate.ts):
 *
 *   declare module '../../http/context' {
 *     interface Variables { user?: AuthUser }
 *   }
 *
 * so the HTTP layer never imports a domain (docs/architecture.md).
 */

import type { Config } from '../core/config'
import type { Lang } from '../core/i18n'
import type { Logger } from '../core/logging'
import type { Services } from '../infra/services'
import type { ResponseHeaders } from './response-headers'

/** Worker bindings: vars and secrets are validated into `Config`; these are the non-string bindings. */
export interface Bindings {
  ASSETS?: { fetch(input: Request | string): Promise<Response> }
  /** Set by the Node, Bun and Deno hosts (src/hosts/): which one serves; absent on Workers (docs/hosts.md). */
  STRATUM_HOST?: 'node' | 'bun' | 'deno'
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
  /** Set once the caller is authenticated; it appears in the access log and keys per-user rate limits. */
  userId?: number
  /** The `msg` of the envelope this request answered with (set by `respondJson`; the operation log records it). */
  responseMsg?: string
}

export interface AppEnv {
  Bindings: Bindings
  Variables: Variables
}
