/**
 * Expected log output: a test that provokes an error on purpose (a stalled Redis, a failing hook, a 500 route) says
 * which lines it expects; those are collected instead of printed, so `npm test` shows only what nobody expected.
 *
 *   const logs = expectLogs({ msg: 'request failed', status: 503 })
 *   … the call that fails …
 *   expect(logs.lines).toHaveLength(1)            // or logs.entries for the parsed JSON lines
 *
 * Any other line, at any level, still prints. The capture ends when the current test finishes, so calling it in a
 * `beforeEach` covers every test of a block. Works in both the Workers and the Node projects (it only wraps
 * `console`, which is the app's log sink: src/core/logging.ts).
 */
import { onTestFinished } from 'vitest'

/** A JSON log line of the app (src/core/logging.ts), parsed. */
export type LogEntry = Record<string, unknown>

/**
 * What a test expects: fields an app log line must carry (`{ msg: 'request failed', status: 503 }`), a pattern of
 * the printed text (a library's own console line), or a predicate of both.
 */
export type Expected = LogEntry | RegExp | ((text: string, entry: LogEntry | undefined) => boolean)

export interface CapturedLogs {
  /** The lines that matched, as printed. */
  readonly lines: string[]
  /** The matched lines that are app log lines, parsed. */
  readonly entries: LogEntry[]
}

const METHODS = ['log', 'info', 'debug', 'warn', 'error'] as const

interface Capture {
  expected: Expected
  logs: { lines: string[]; entries: LogEntry[] }
}

/** The captures of the running test; the console methods are wrapped while it is non-empty. */
let active: Capture[] = []

function parse(text: string): LogEntry | undefined {
  if (!text.startsWith('{')) return undefined
  try {
    const value: unknown = JSON.parse(text)
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as LogEntry) : undefined
  } catch {
    return undefined
  }
}

function matches(expected: Expected, text: string, entry: LogEntry | undefined): boolean {
  if (expected instanceof RegExp) return expected.test(text)
  if (typeof expected === 'function') return expected(text, entry)
  return entry !== undefined && Object.entries(expected).every(([key, value]) => Object.is(entry[key], value))
}

/**
 * Wraps the console methods until the current test finishes. Plain assignment rather than `vi.spyOn`: a test may spy
 * on the console itself (and `vi.restoreAllMocks()` it), which must neither recurse into nor undo this wrapper.
 */
function install(): void {
  const originals = METHODS.map((method) => [method, console[method]] as const)
  for (const [method, original] of originals) {
    console[method] = (...args: unknown[]) => {
      const text = args.map(String).join(' ')
      const entry = parse(text)
      const capture = active.find((c) => matches(c.expected, text, entry))
      if (!capture) return original.apply(console, args)
      capture.logs.lines.push(text)
      if (entry) capture.logs.entries.push(entry)
    }
  }
  onTestFinished(() => {
    active = []
    for (const [method, original] of originals) console[method] = original
  })
}

/** Collects the lines matching any of `expected` until the current test finishes; everything else still prints. */
export function expectLogs(...expected: Expected[]): CapturedLogs {
  if (expected.length === 0) throw new Error('expectLogs: say which lines are expected')
  const logs: Capture['logs'] = { lines: [], entries: [] }
  if (active.length === 0) install()
  for (const e of expected) active.push({ expected: e, logs })
  return logs
}
