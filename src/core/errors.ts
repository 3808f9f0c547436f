/**
 * The one error hierarchy. Services throw these; the single `onError` (http/error-handler.ts) turns them into the
 * `{code, msg, data, trace_id}` envelope with the real HTTP status. Messages are i18n keys, rendered per request.
 */
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import type { MessageKey, MessageParams } from './i18n'

export interface AppErrorOptions {
  /** Parameters interpolated into the message. */
  params?: MessageParams
  /** Goes to the envelope's `data`. */
  data?: unknown
  /** Envelope `code` when it differs from the HTTP status (e.g. 40001 on a 400). */
  code?: number
  headers?: Record<string, string>
  cause?: unknown
}

/**
 * Every error class names itself (`override readonly name = '…'`): the Worker bundle is minified without keeping
 * function names (docs/decisions.md, "Worker bundle"), so a class's own name is not there at run time.
 */
export abstract class AppError extends Error {
  abstract override readonly name: string
  abstract readonly status: ContentfulStatusCode
  abstract readonly defaultKey: MessageKey
  readonly key: MessageKey | undefined
  readonly params: MessageParams | undefined
  readonly data: unknown
  readonly headers: Record<string, string>
  readonly #code: number | undefined

  constructor(key?: MessageKey, options: AppErrorOptions = {}) {
    super(key, { cause: options.cause })
    // Without a key the message is the error's name, read when first asked for: `name` is a field of the subclass,
    // set only after this constructor returns.
    if (key === undefined) Object.defineProperty(this, 'message', { get: () => this.name, configurable: true })
    this.key = key
    this.params = options.params
    this.data = options.data ?? null
    this.headers = options.headers ?? {}
    this.#code = options.code
  }

  get code(): number {
    return this.#code ?? this.status
  }

  get messageKey(): MessageKey {
    return this.key ?? this.defaultKey
  }
}

export class BadRequestError extends AppError {
  override readonly name = 'BadRequestError'
  readonly status = 400
  readonly defaultKey = 'error.bad_request'
}

export class UnauthorizedError extends AppError {
  override readonly name = 'UnauthorizedError'
  readonly status = 401
  readonly defaultKey = 'error.unauthorized'
  constructor(key?: MessageKey, options: AppErrorOptions = {}) {
    super(key, { ...options, headers: { 'WWW-Authenticate': 'Bearer', ...options.headers } })
  }
}

export class ForbiddenError extends AppError {
  override readonly name = 'ForbiddenError'
  readonly status = 403
  readonly defaultKey = 'error.forbidden'
}

export class NotFoundError extends AppError {
  override readonly name = 'NotFoundError'
  readonly status = 404
  readonly defaultKey = 'error.not_found'
}

export class MethodNotAllowedError extends AppError {
  override readonly name = 'MethodNotAllowedError'
  readonly status = 405
  readonly defaultKey = 'error.method_not_allowed'
}

export class ConflictError extends AppError {
  override readonly name = 'ConflictError'
  readonly status = 409
  readonly defaultKey = 'error.conflict'
}

export class PayloadTooLargeError extends AppError {
  override readonly name = 'PayloadTooLargeError'
  readonly status = 413
  readonly defaultKey = 'error.payload_too_large'
}

export class UnsupportedMediaTypeError extends AppError {
  override readonly name = 'UnsupportedMediaTypeError'
  readonly status = 415
  readonly defaultKey = 'error.unsupported_media_type'
}

/** One field-level problem, in the shape fba's admin UI reads: where, what, which kind. */
export interface FieldError {
  loc: (string | number)[]
  msg: string
  type: string
}

export class ValidationError extends AppError {
  override readonly name = 'ValidationError'
  readonly status = 422
  readonly defaultKey = 'error.validation'
  constructor(readonly errors: FieldError[]) {
    const first = errors[0]
    const detail = first ? `${[...first.loc].pop() ?? ''} ${first.msg}`.trim() : ''
    super(undefined, { data: { errors }, params: { detail } })
  }
}

export class TooManyRequestsError extends AppError {
  override readonly name = 'TooManyRequestsError'
  readonly status = 429
  readonly defaultKey = 'error.too_many_requests'
}

export class InternalError extends AppError {
  override readonly name = 'InternalError'
  readonly status = 500
  readonly defaultKey = 'error.internal'
}

export class ServiceUnavailableError extends AppError {
  // Typed `string`: subclasses name themselves (infra/deadline.ts).
  override readonly name: string = 'ServiceUnavailableError'
  readonly status = 503
  readonly defaultKey = 'error.service_unavailable'
}

/** A feature this host cannot offer at all (not a passing outage): realtime off Workers (docs/hosts.md). */
export class NotImplementedError extends AppError {
  override readonly name = 'NotImplementedError'
  readonly status = 501
  readonly defaultKey = 'error.not_implemented_on_host'
}
