/**
 * The one router factory. Every sub-app is built here so they all share the typed context and the validation hook
 * (zod failures become a localized 422 `ValidationError`, formatted by the single `onError`).
 */

import type { Hook } from '@hono/zod-openapi'
import { OpenAPIHono } from '@hono/zod-openapi'
import { ValidationError } from '../core/errors'
import { toFieldErrors } from '../core/validation'
import type { AppEnv } from './context'

// biome-ignore lint/suspicious/noExplicitAny: the hook is shared by every route, whatever its input/output types
const validationHook: Hook<any, AppEnv, any, undefined> = (result, c) => {
  if (!result.success) throw new ValidationError(toFieldErrors(result.error.issues, result.target, c.get('lang')))
}

export function createRouter(): OpenAPIHono<AppEnv> {
  return new OpenAPIHono<AppEnv>({ defaultHook: validationHook })
}

export type Router = ReturnType<typeof createRouter>
