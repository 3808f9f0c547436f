/**
 * Tests read API answers through the typed harness (test/helpers/harness.ts), never by casting a response's data:
 * a cast hides a renamed field from the compiler, which is what the typed calls are there to catch.
 */
import { readFileSync } from 'node:fs'
import { join, relative, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { typeScriptFiles } from '../helpers/source-files'

const root = resolve(import.meta.dirname, '../..')

/** A cast of a response's data (the property, then `as`), spelt in two parts so this file does not match itself. */
const CAST = new RegExp(['\\.data', ' as\\b'].join(''))

describe('test harness', () => {
  it('no test casts response data', () => {
    const casts = typeScriptFiles(join(root, 'test')).flatMap((file) =>
      readFileSync(file, 'utf8')
        .split('\n')
        .flatMap((line, i) => (CAST.test(line) ? [`${relative(root, file)}:${i + 1}`] : [])),
    )
    expect(casts).toEqual([])
  })
})
