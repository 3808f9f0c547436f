/** Trace ids: accept a caller's `X-Request-ID` when well-formed, otherwise mint one (32 hex chars, like fba). */
const WELL_FORMED = /^[A-Za-z0-9][A-Za-z0-9._:-]{7,127}$/

/** Lower case: Headers look names up lower-cased, so this saves a conversion on every request. */
export const TRACE_HEADER = 'x-request-id'

const HEX_CODES = Array.from('0123456789abcdef', (ch) => ch.charCodeAt(0))
const ID_BYTES = 16
/** Random bytes for 4096 ids (64 KiB, the most one `getRandomValues` call may fill), refilled when used up. */
const pool = new Uint8Array(ID_BYTES * 4096)
let offset = pool.length
/** The id's character codes, reused: one flat string per id instead of a chain of 16 concatenations. */
const codes: number[] = new Array(ID_BYTES * 2).fill(0)

/** 128 random bits as 32 hex chars (ids need uniqueness, not secrecy; this runs on every request). */
export function newTraceId(): string {
  if (offset === pool.length) {
    crypto.getRandomValues(pool)
    offset = 0
  }
  for (let i = 0; i < ID_BYTES; i++) {
    const byte = pool[offset + i] as number
    codes[2 * i] = HEX_CODES[byte >> 4] as number
    codes[2 * i + 1] = HEX_CODES[byte & 15] as number
  }
  offset += ID_BYTES
  return String.fromCharCode(...codes)
}

export function traceIdFrom(header: string | undefined | null): string {
  return header && WELL_FORMED.test(header) ? header : newTraceId()
}
