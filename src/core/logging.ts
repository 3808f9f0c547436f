/**
 * Structured JSON-line logging. Every line carries the trace id; anything that looks like a secret is redacted
 * before it is written, however deeply it is nested.
 */
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

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void
  info(msg: string, fields?: Record<string, unknown>): void
  warn(msg: string, fields?: Record<string, unknown>): void
  error(msg: string, fields?: Record<string, unknown>): void
  /** A logger whose lines also carry `fields` (e.g. the user id once known). */
  child(fields: Record<string, unknown>): Logger
}

export type LogSink = (line: string, level: LogLevel) => void

const consoleSink: LogSink = (line, level) => {
  if (level === 'error') console.error(line)
  else if (level === 'warn') console.warn(line)
  else console.log(line)
}

export function createLogger(base: Record<string, unknown>, minLevel: LogLevel = 'info', sink = consoleSink): Logger {
  const write = (level: LogLevel, msg: string, fields?: Record<string, unknown>) => {
    if (LEVELS[level] < LEVELS[minLevel]) return
    const entry = redact({ time: new Date().toISOString(), level, msg, ...base, ...fields })
    sink(JSON.stringify(entry), level)
  }
  return {
    debug: (msg, fields) => write('debug', msg, fields),
    info: (msg, fields) => write('info', msg, fields),
    warn: (msg, fields) => write('warn', msg, fields),
    error: (msg, fields) => write('error', msg, fields),
    child: (fields) => createLogger({ ...base, ...fields }, minLevel, sink),
  }
}

/** Serialises an unknown thrown value for a log line (stack included: logs are internal). */
export function describeError(err: unknown): Record<string, unknown> {
  if (err instanceof Error) return { error: err.name, message: err.message, stack: err.stack }
  return { error: String(err) }
}
