/**
 * Names in generated code: SQL names stay as the table has them; TypeScript properties are camelCase, types and
 * classes PascalCase, wire fields snake_case (fba's), folders and paths kebab-case. A name that is a reserved word
 * (or would shadow a global the generated files use) gets a suffix where it becomes an identifier; as a property key
 * any word is fine, so columns keep their names.
 */

/** Words that split a name: `shopOrder`, `shop_order`, `Shop-Order`, `HTTPStatus` → shop, order / http, status. */
export function words(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w.toLowerCase())
}

export const snake = (name: string) => words(name).join('_')
export const kebab = (name: string) => words(name).join('-')
export const camel = (name: string) =>
  words(name)
    .map((w, i) => (i === 0 ? w : w.charAt(0).toUpperCase() + w.slice(1)))
    .join('')
export const pascal = (name: string) =>
  words(name)
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join('')
export const constant = (name: string) => words(name).join('_').toUpperCase()

/** ECMAScript reserved words, strict-mode ones, and names the generated files import or declare themselves. */
export const RESERVED = new Set([
  ...'break case catch class const continue debugger default delete do else enum export extends false finally for function if import in instanceof new null return super switch this throw true try typeof var void while with yield let static implements interface package private protected public await'.split(
    ' ',
  ),
  ...'arguments eval undefined NaN Infinity Object Array String Number Boolean Date Error Map Set Promise JSON Math Symbol'.split(
    ' ',
  ),
  // What the generated files import or declare at their top level.
  ...'z sql eq ok schema id desc like and or filter integer real text numeric sqliteTable timestamps SQL_NOW_MS'.split(
    ' ',
  ),
  ...'crudRoutes createRouter defineDomain defineMessages required button rows body admin user'.split(' '),
])

/** `name` as an identifier: unchanged unless reserved, then with `suffix` (`class` → `classTable`). */
export function identifier(name: string, suffix: string): string {
  return RESERVED.has(name) ? `${name}${suffix}` : name
}

/**
 * Properties no column may take: the table's own columns under the datetime mixin, and names JavaScript objects
 * treat specially.
 */
export const RESERVED_PROPERTIES = new Set(['__proto__', 'constructor', 'prototype', 'hasOwnProperty', 'toString'])

/** fba's rule for app and table names (BusinessParam). */
export const BUSINESS_NAME = /^[a-zA-Z][a-zA-Z_]*$/

/** A SQL column name the generator accepts: a letter first, then letters, digits or `_`. */
export const COLUMN_NAME = /^[A-Za-z][A-Za-z0-9_]*$/
