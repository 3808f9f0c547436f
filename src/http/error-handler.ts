/**
 * The single error mapper: everything thrown anywhere becomes the envelope with the right status.
 * In production, 5xx bodies carry only the generic message of their status — the details go to the log line.
 * A dependency that failed (infra/deadline.ts: a missed deadline, unreachable, a server error — also when a driver
 * wrapped it) is a 503; every 503 carries `Retry-After` (`UNAVAILABLE_RETRY_AFTER_SECONDS`).
 */
import type { Context } from 'hono'
import { HTTPException } from 'hono/http-exception'
import { ConfigError, isProduction } from '../core/config'
import type { ErrorEnvelope } from '../core/envelope'
import {
  type AppError,
  AppError as AppErrorBase,
  BadRequestError,
  ForbiddenError,
  InternalError,
  MethodNotAllowedError,
  NotFoundError,
  PayloadTooLargeError,
  ServiceUnavailableError,
  TooManyRequestsError,
  UnauthorizedError,
  UnsupportedMediaTypeError,
  ValidationError,
} from '../core/errors'
import { DEFAULT_LANG, t } from '../core/i18n'
import { createLogger, describeError } from '../core/logging'
import { newTraceId } from '../core/trace'
import { jsonInvalidError } from '../core/validation'
import { dependencyFailure } from '../infra/deadline'
import type { AppEnv } from './context'
import { respondJson } from './respond'

/** Hono's own HTTP exceptions (from built-in middleware) mapped onto our hierarchy. */
function fromHttpException(err: HTTPException, c: Context<AppEnv>): AppError {
  const lang = c.get('lang') ?? DEFAULT_LANG
  // hono's JSON validator signals unparsable JSON with this 400; fba answers it as a 422 `json_invalid`.
  if (err.status === 400 && err.message.startsWith('Malformed JSON'))
    return new ValidationError([jsonInvalidError(lang)])
  switch (err.status) {
    case 400:
      return new BadRequestError(undefined, { cause: err })
    case 401:
      return new UnauthorizedError(undefined, { cause: err })
    case 403:
      return new ForbiddenError(undefined, { cause: err })
    case 404:
      return new NotFoundError(undefined, { cause: err })
    case 405:
      return new MethodNotAllowedError(undefined, { cause: err })
    case 413:
      return new PayloadTooLargeError(undefined, { cause: err })
    case 415: {
      // @hono/zod-openapi's media-type gate: a body whose Content-Type the route does not declare (or none at all).
      const type = c.req.header('Content-Type')?.split(';')[0]?.trim().slice(0, 100) || '(none)'
      return new UnsupportedMediaTypeError(undefined, { params: { type }, cause: err })
    }
    case 429:
      return new TooManyRequestsError(undefined, { cause: err })
    case 503:
      return new ServiceUnavailableError(undefined, { cause: err })
    default:
      return new InternalError(undefined, { cause: err })
  }
}

export function handleError(err: unknown, c: Context<AppEnv>): Response {
  const lang = c.get('lang') ?? DEFAULT_LANG
  const traceId = c.get('traceId') ?? newTraceId()
  const logger = c.get('logger') ?? createLogger({ trace_id: traceId })
  // Without a valid config, trust only an explicit ENVIRONMENT=production to hide details (the default is development).
  const production = c.get('config') ? isProduction(c.get('config')) : c.env?.ENVIRONMENT === 'production'

  let error: AppError
  if (err instanceof AppErrorBase) error = err
  else if (err instanceof HTTPException) error = fromHttpException(err, c)
  else if (err instanceof ConfigError)
    error = new InternalError('error.config_invalid', { params: { detail: err.problems.join('; ') }, cause: err })
  else
    error =
      dependencyFailure(err) ??
      new InternalError(undefined, {
        cause: err,
        data: { error: err instanceof Error ? err.message : String(err) },
      })

  if (error.status >= 500)
    logger.error('request failed', { status: error.status, ...describeError(error.cause ?? error) })

  const hideInternals = production && error.status >= 500
  const generic = error.status === 503 ? 'error.service_unavailable' : 'error.internal'
  const body: ErrorEnvelope = {
    code: error.code,
    msg: hideInternals ? t(lang, generic) : t(lang, error.messageKey, error.params),
    data: hideInternals ? null : error.data,
    trace_id: traceId,
  }
  const headers =
    error.status === 503 && !error.headers['Retry-After']
      ? { ...error.headers, 'Retry-After': String(c.get('config')?.UNAVAILABLE_RETRY_AFTER_SECONDS ?? 5) }
      : error.headers
  return respondJson(c, body, error.status, headers)
}
