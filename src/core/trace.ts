/** Trace ids: accept a caller's `X-Request-ID` when well-formed, otherwise mint one (32 hex chars, like fba). */
const WELL_FORMED = /^[A-Za-z0-9][A-Za-z0-9._:-]{7,127}$/

export const TRACE_HEADER = 'X-Request-ID'

export function newTraceId(): string {
  return crypto.randomUUID().replaceAll('-', '')
}

export function traceIdFrom(header: string | undefined | null): string {
  return header && WELL_FORMED.test(header) ? header : newTraceId()
}
