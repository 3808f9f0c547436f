/**
 * Structured JSON-line logging. Every line carries the trace id; anything that looks like a secret is redacted
 * before it is written, however deeply it is nested. A logger is built per request, so it is a small class
 * (methods on the prototype) and does no work until a line passes the level check.
 */
import { isoNow } from './datetime'

export type LogLevel = 'debug' | 'info' | 'warn' | 'error'

const LEVELS: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 }

/** Keys whose values never reach a log line (password, new_password, access_token, authorization, cookie, …). */
const SECRET_KEY = /pass(word)?|secret|token|authorization|cookie|api[-_]?key|signing[-_]?key|pepper|captcha_code/i
export const REDACTED = '[REDACTED]'

export function redact(value: unknown, depth = 0): unknown {
  if (depth > 8 || value === null || typeof value !== 'object') return value
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1))
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(value)) out[k] = SECRET_KEY.test(k) ? REDACTED : redact(v, depth + 1)
  return out
}

export type LogSink = (line: string, level: LogLevel) => void

const consoleSink: LogSink = (line, level) => {
  if (level === 'error') console.error(line)
  else if (level === 'warn') console.warn(line)
  else console.log(line)
}

export class Logger {
  readonly #min: number

  constructor(
    private readonly base: Record<string, unknown>,
    private readonly minLevel: LogLevel = 'info',
    private readonly sink: LogSink = consoleSink,
  ) {
    this.#min = LEVELS[minLevel]
  }

  enabled(level: LogLevel): boolean {
    return LEVELS[level] >= this.#min
  }

  #write(level: LogLevel, msg: string, fields?: Record<string, unknown>): void {
    if (!this.enabled(level)) return
    const entry = redact({ time: isoNow(), level, msg, ...this.base, ...fields })
    this.sink(JSON.stringify(entry), level)
  }

  debug(msg: string, fields?: Record<string, unknown>): void {
    this.#write('debug', msg, fields)
  }

  info(msg: string, fields?: Record<string, unknown>): void {
    this.#write('info', msg, fields)
  }

  warn(msg: string, fields?: Record<string, unknown>): void {
    this.#write('warn', msg, fields)
  }

  error(msg: string, fields?: Record<string, unknown>): void {
    this.#write('error', msg, fields)
  }

  /** A logger whose lines also carry `fields` (e.g. the user id once known). */
  child(fields: Record<string, unknown>): Logger {
    return new Logger({ ...this.base, ...fields }, this.minLevel, this.sink)
  }
}

export function createLogger(base: Record<string, unknown>, minLevel: LogLevel = 'info', sink?: LogSink): Logger {
  return new Logger(base, minLevel, sink)
}

/**
 * The statement of a failed query, without its parameters: Drizzle's `DrizzleQueryError` carries `query` and
 * `params`, and its message (and so its stack) spells out every parameter value — user data (emails, names, IPs).
 */
function failedStatement(err: Error): string | undefined {
  const { query, params } = err as { query?: unknown; params?: unknown }
  return typeof query === 'string' && Array.isArray(params) ? query : undefined
}

/**
 * A failed Redis command as the Upstash client reports it: `<reason>, command was: <the command as JSON>` — keys and
 * values included (session records, email codes). Only the command names are kept.
 */
const REDIS_COMMAND = /^([\s\S]*?), command was: ([\s\S]*)$/

function redisCommandNames(json: string): string {
  try {
    const body: unknown = JSON.parse(json)
    if (!Array.isArray(body)) return '?'
    const commands: unknown[] = Array.isArray(body[0]) ? body : [body]
    return commands.map((c) => (Array.isArray(c) && typeof c[0] === 'string' ? c[0] : '?')).join(', ')
  } catch {
    return '?'
  }
}

/**
 * An error's message safe for a log line: a failed query keeps its SQL text and loses its parameter values; a failed
 * Redis command keeps its name and loses its arguments.
 */
export function errorMessage(err: unknown): string {
  if (!(err instanceof Error)) return String(err)
  const statement = failedStatement(err)
  if (statement !== undefined) return `Failed query: ${statement}`
  const redis = REDIS_COMMAND.exec(err.message)
  return redis ? `${redis[1]}, command was: ${redisCommandNames(redis[2] ?? '')}` : err.message
}

/** The stack with the message line(s) replaced by `message` (V8 starts a stack with `<name>: <message>`). */
function stackWith(err: Error, message: string): string | undefined {
  if (err.stack === undefined || message === err.message) return err.stack
  const frames = err.stack.split('\n').filter((line) => /^\s+at /.test(line))
  return [`${err.name}: ${message}`, ...frames].join('\n')
}

/**
 * Serialises an unknown thrown value for a log line (stack included: logs are internal), with the messages of its
 * causes (a driver's reason behind a failed query). Parameter values of failed queries are left out (`errorMessage`):
 * logs keep the statement's shape, not the personal data it carried.
 */
export function describeError(err: unknown): Record<string, unknown> {
  if (!(err instanceof Error)) return { error: String(err) }
  const message = errorMessage(err)
  const causes: string[] = []
  for (let e = err.cause, depth = 0; e !== undefined && e !== null && depth < 8; depth++) {
    causes.push(e instanceof Error ? `${e.name}: ${errorMessage(e)}` : String(e))
    e = e instanceof Error ? e.cause : undefined
  }
  return {
    error: err.name,
    message,
    stack: stackWith(err, message),
    ...(causes.length ? { cause: causes.join(' <- ') } : {}),
  }
}
