/** Trace ids: minted from a pooled random buffer, or taken from a well-formed X-Request-ID. */
import { describe, expect, it } from 'vitest'
import { newTraceId, traceIdFrom } from '../../src/core/trace'

const TRACE_ID = /^[0-9a-f]{32}$/

describe('newTraceId', () => {
  it('is 32 lower-case hex characters', () => {
    expect(newTraceId()).toMatch(TRACE_ID)
  })

  it('never repeats across pool refills', () => {
    // The pool holds 256 ids: 1000 ids cross several refills.
    const ids = Array.from({ length: 1000 }, newTraceId)
    for (const id of ids) expect(id).toMatch(TRACE_ID)
    expect(new Set(ids).size).toBe(1000)
  })
})

describe('traceIdFrom', () => {
  it.each(['abcdef12', 'req-2026.05.16:0001', 'A'.repeat(128)])('keeps the well-formed header %s', (header) => {
    expect(traceIdFrom(header)).toBe(header)
  })

  it.each([
    ['missing', undefined],
    ['null', null],
    ['empty', ''],
    ['too short', 'abc1234'],
    ['too long', 'A'.repeat(129)],
    ['leading punctuation', '-abcdefgh'],
    ['spaces', 'abc def ghi'],
    ['header injection', 'abcdefgh\r\nx: y'],
    ['non-ascii', 'abcdefgh\u00e9'],
  ])('replaces a %s header with a fresh id', (_, header) => {
    const id = traceIdFrom(header)
    expect(id).toMatch(TRACE_ID)
    expect(id).not.toBe(header)
  })
})
