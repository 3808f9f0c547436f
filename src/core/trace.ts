/** Trace ids: accept a caller's `X-Request-ID` when well-formed, otherwise mint one (32 hex chars, like fba). */
const WELL_FORMED = /^[A-Za-z0-9][A-Za-z0-9._:-]{7,127}$/

export const TRACE_HEADER = 'X-Request-ID'

const HEX = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'))
const ID_BYTES = 16
/** Random bytes for 256 ids, refilled when used up: one `getRandomValues` call instead of one per request. */
const pool = new Uint8Array(ID_BYTES * 256)
let offset = pool.length

/** 128 random bits as 32 hex chars (ids need uniqueness, not secrecy; this runs on every request). */
export function newTraceId(): string {
  if (offset === pool.length) {
    crypto.getRandomValues(pool)
    offset = 0
  }
  let id = ''
  for (let i = offset; i < offset + ID_BYTES; i++) id += HEX[pool[i] as number]
  offset += ID_BYTES
  return id
}

export function traceIdFrom(header: string | undefined | null): string {
  return header && WELL_FORMED.test(header) ? header : newTraceId()
}
