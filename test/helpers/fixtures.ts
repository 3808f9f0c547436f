/** Values and small helpers that tests share (no runtime imports: usable from the Workers and the Node projects). */
import { expect } from 'vitest'

/** fba's datetime format, `YYYY-MM-DD HH:mm:ss`. */
export const DATETIME = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/

/** A matcher for a field in fba's datetime format (inside `toEqual`/`toStrictEqual`). */
export const anyDatetime = () => expect.stringMatching(DATETIME)

let counter = 0
/** A name no other test (or earlier run against the same database) has used: `<prefix>-<n>-<random>`. */
export const unique = (prefix = 'item', separator = '-') =>
  `${prefix}${separator}${++counter}${separator}${crypto.randomUUID().slice(0, 6)}`

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** Login and captcha limits high enough for a test file that logs in many times. */
export const RELAXED_AUTH_LIMITS = { RATE_LIMIT_LOGIN: '1000/60s', RATE_LIMIT_CAPTCHA: '1000/60s' } as const
