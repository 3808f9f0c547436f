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

/** Serialises an unknown thrown value for a log line (stack included: logs are internal). */
export function describeError(err: unknown): Record<string, unknown> {
  if (err instanceof Error) return { error: err.name, message: err.message, stack: err.stack }
  return { error: String(err) }
}
