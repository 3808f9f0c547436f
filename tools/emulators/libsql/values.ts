/**
 * Hrana JSON values <-> values the native `libsql` binding accepts and returns.
 *
 * Wire form (what `@libsql/client` sends and expects): integers as decimal strings (64-bit safe), floats as JSON
 * numbers, text as strings, blobs as base64, `{type:"null"}`. Statements run with `safeIntegers(true)`, so the binding
 * returns every INTEGER as a bigint and every REAL as a number — which is exactly the integer/float split Hrana needs.
 */
import { ProtocolError } from './errors.js'

/** A value bound to or read from SQLite. Never a boolean: the native binding aborts the process on booleans. */
export type SqlValue = null | bigint | number | string | Uint8Array

export type ProtoValue =
  | { type: 'null' }
  | { type: 'integer'; value: string }
  | { type: 'float'; value: number }
  | { type: 'text'; value: string }
  | { type: 'blob'; base64: string }

const INT64_MIN = -(2n ** 63n)
const INT64_MAX = 2n ** 63n - 1n
const INTEGER_TEXT = /^-?\d{1,20}$/

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** Decodes one request value; anything malformed is a protocol error (HTTP 400), never a crash. */
export function decodeValue(raw: unknown, where: string): SqlValue {
  if (!isRecord(raw)) throw new ProtocolError(`${where} must be a Value object`)
  switch (raw.type) {
    case 'null':
      return null
    case 'integer': {
      const value = raw.value
      let big: bigint
      if (typeof value === 'string' && INTEGER_TEXT.test(value)) big = BigInt(value)
      else if (typeof value === 'number' && Number.isSafeInteger(value)) big = BigInt(value)
      else throw new ProtocolError(`${where}: integer value must be a decimal string`)
      if (big < INT64_MIN || big > INT64_MAX) throw new ProtocolError(`${where}: integer out of the 64-bit range`)
      return big
    }
    case 'float': {
      const value = raw.value
      if (typeof value !== 'number' || !Number.isFinite(value)) {
        throw new ProtocolError(`${where}: float value must be a finite number`)
      }
      return value
    }
    case 'text':
      if (typeof raw.value !== 'string') throw new ProtocolError(`${where}: text value must be a string`)
      return raw.value
    case 'blob':
      if (typeof raw.base64 !== 'string') throw new ProtocolError(`${where}: blob value must have a base64 string`)
      return Buffer.from(raw.base64, 'base64')
    default:
      throw new ProtocolError(`${where}: unknown value type`)
  }
}

/**
 * JSON has no literal for ±Infinity (SQLite produces it, e.g. `1e308 * 10`) and `JSON.stringify` would write `null`,
 * which the client rejects. Such floats are encoded as a marker string that `stringifyWithInfinity` rewrites to
 * `1e999`/`-1e999`, which `JSON.parse` reads back as ±Infinity. The marker is random per process, so no text can
 * collide with it.
 */
const INFINITY_MARKER = `\u0001inf-${Math.random().toString(36).slice(2)}`
/** The marker as it appears inside JSON text (the control character is escaped). */
const INFINITY_JSON = JSON.stringify(INFINITY_MARKER).slice(1, -1)

export function encodeValue(value: unknown): ProtoValue {
  if (value === null || value === undefined) return { type: 'null' }
  switch (typeof value) {
    case 'bigint':
      return { type: 'integer', value: value.toString() }
    case 'number':
      if (Number.isFinite(value)) return { type: 'float', value }
      if (Number.isNaN(value)) return { type: 'null' }
      return { type: 'float', value: `${INFINITY_MARKER}${value > 0 ? '+' : '-'}` as unknown as number }
    case 'string':
      return { type: 'text', value }
    default:
      if (value instanceof Uint8Array) {
        const buf = Buffer.isBuffer(value) ? value : Buffer.from(value.buffer, value.byteOffset, value.byteLength)
        return { type: 'blob', base64: buf.toString('base64') }
      }
      return { type: 'text', value: String(value) }
  }
}

/** `JSON.stringify` that keeps ±Infinity floats produced by `encodeValue`. */
export function stringifyWithInfinity(body: unknown): string {
  const text = JSON.stringify(body)
  if (!text.includes(INFINITY_JSON)) return text
  return text.replaceAll(`"${INFINITY_JSON}+"`, '1e999').replaceAll(`"${INFINITY_JSON}-"`, '-1e999')
}
