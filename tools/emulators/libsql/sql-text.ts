/**
 * A small SQLite lexer: just enough to learn what the native `libsql` binding does not tell us about a SQL text —
 * how many statements it holds, its parameter names (in SQLite's numbering), its first keyword and whether it writes.
 *
 * Why not ask SQLite? The `libsql` package exposes neither `sqlite3_bind_parameter_name` nor `sqlite3_stmt_readonly`,
 * `prepare()` silently ignores everything after the first statement, and binding named parameters through an object
 * aborts the whole process (a Rust panic) when the statement also has an anonymous `?`. So named arguments are turned
 * into a positional array here, with SQLite's own numbering rules.
 */

export interface SqlInfo {
  /** Non-empty statements (a `CREATE TRIGGER … BEGIN …; … END` body counts as one, like `sqlite3_complete`). */
  statements: number
  /** Upper-cased first keyword of the first statement (`SELECT`, `INSERT`, `WITH`, …), or null. */
  firstKeyword: string | null
  /** `params[i]` is the name of parameter `i + 1` (with its prefix: `:a`, `@a`, `$a`), or null for `?`/`?NNN`. */
  params: (string | null)[]
  /** The statement changes rows (INSERT/UPDATE/DELETE/REPLACE, also inside WITH): report changes/last rowid. */
  isDml: boolean
  /** Best-effort `sqlite3_stmt_readonly`: reads, transaction control and pragma reads. */
  isReadonly: boolean
  /** Schema or connection state may change: prepared statements and their column lists must be re-read. */
  mayChangeSchema: boolean
}

// Token kinds of SQLite's `sqlite3_complete` state machine (complete.c). Kind 1 (whitespace) never reaches it:
// the lexer skips blanks and comments.
const SEMI = 0
const OTHER = 2
const EXPLAIN = 3
const CREATE = 4
const TEMP = 5
const TRIGGER = 6
const END = 7

// State 1 (START) after a semicolon means "a statement just ended"; states 5–7 are inside a trigger body, where
// semicolons do not end the statement until `END ;`.
const TRANSITIONS: readonly (readonly number[])[] = [
  /* 0 INVALID */ [1, 0, 2, 3, 4, 2, 2, 2],
  /* 1 START   */ [1, 1, 2, 3, 4, 2, 2, 2],
  /* 2 NORMAL  */ [1, 2, 2, 2, 2, 2, 2, 2],
  /* 3 EXPLAIN */ [1, 3, 3, 2, 4, 2, 2, 2],
  /* 4 CREATE  */ [1, 4, 2, 2, 2, 4, 5, 2],
  /* 5 TRIGGER */ [6, 5, 5, 5, 5, 5, 5, 5],
  /* 6 SEMI    */ [6, 6, 5, 5, 5, 5, 5, 7],
  /* 7 END     */ [1, 7, 5, 5, 5, 5, 5, 5],
]

const KEYWORD_KINDS = new Map([
  ['EXPLAIN', EXPLAIN],
  ['CREATE', CREATE],
  ['TEMP', TEMP],
  ['TEMPORARY', TEMP],
  ['TRIGGER', TRIGGER],
  ['END', END],
])

const DML_WORDS = new Set(['INSERT', 'UPDATE', 'DELETE', 'REPLACE'])
const READONLY_FIRST = new Set(['SELECT', 'VALUES', 'EXPLAIN', 'BEGIN', 'COMMIT', 'END', 'SAVEPOINT', 'RELEASE'])
const SCHEMA_FIRST = new Set([
  'CREATE',
  'DROP',
  'ALTER',
  'ROLLBACK',
  'ATTACH',
  'DETACH',
  'VACUUM',
  'REINDEX',
  'ANALYZE',
  'PRAGMA',
])

/** SQLite's `IdChar`: letters, digits, `_`, `$` and every non-ASCII character. */
function isIdChar(code: number): boolean {
  return (
    (code >= 0x30 && code <= 0x39) ||
    (code >= 0x41 && code <= 0x5a) ||
    (code >= 0x61 && code <= 0x7a) ||
    code === 0x5f ||
    code === 0x24 ||
    code >= 0x80
  )
}

function isIdStart(code: number): boolean {
  return isIdChar(code) && code !== 0x24 && !(code >= 0x30 && code <= 0x39)
}

function isSpace(code: number): boolean {
  return code === 0x20 || code === 0x09 || code === 0x0a || code === 0x0d || code === 0x0c
}

/** Index just past a quoted run starting at `start` (the opening quote), with doubled quotes as escapes. */
function skipQuoted(sql: string, start: number, close: string): number {
  let i = start + 1
  while (i < sql.length) {
    if (sql[i] === close) {
      if (close !== ']' && sql[i + 1] === close) {
        i += 2
        continue
      }
      return i + 1
    }
    i++
  }
  return sql.length
}

export function analyzeSql(sql: string): SqlInfo {
  let state = 0
  let statements = 0
  let statementHasTokens = false
  let firstKeyword: string | null = null
  let sawFirstToken = false
  let sawDmlWord = false
  let sawEquals = false
  const params: (string | null)[] = []
  const named = new Map<string, number>()

  const token = (kind: number): void => {
    const next = TRANSITIONS[state]![kind]!
    if (kind === SEMI) {
      if (next === 1 && statementHasTokens) {
        statements++
        statementHasTokens = false
      }
    } else {
      statementHasTokens = true
      sawFirstToken = true
    }
    state = next
  }
  const word = (text: string): void => {
    const upper = text.toUpperCase()
    if (!sawFirstToken) firstKeyword = upper
    if (statements === 0 && DML_WORDS.has(upper)) sawDmlWord = true
    token(KEYWORD_KINDS.get(upper) ?? OTHER)
  }
  const param = (name: string | null, explicitIndex: number | null): void => {
    // SQLite numbering: `?` takes max+1, `?NNN` takes NNN, a name reuses its first index or takes max+1.
    if (statements > 0) return
    let index: number
    if (explicitIndex !== null) index = explicitIndex
    else if (name !== null && named.has(name)) index = named.get(name)!
    else index = params.length + 1
    if (index < 1 || index > 32_766) return // SQLite itself rejects these at prepare time
    while (params.length < index) params.push(null)
    if (name !== null) {
      if (!named.has(name)) named.set(name, index)
      if (params[index - 1] === null) params[index - 1] = name
    }
  }

  let i = 0
  const n = sql.length
  while (i < n) {
    const c = sql.charCodeAt(i)
    if (isSpace(c)) {
      i++
    } else if (c === 0x2d && sql.charCodeAt(i + 1) === 0x2d) {
      const eol = sql.indexOf('\n', i)
      i = eol === -1 ? n : eol + 1
    } else if (c === 0x2f && sql.charCodeAt(i + 1) === 0x2a) {
      const close = sql.indexOf('*/', i + 2)
      i = close === -1 ? n : close + 2
    } else if (c === 0x3b) {
      token(SEMI)
      i++
    } else if (c === 0x27) {
      i = skipQuoted(sql, i, "'")
      token(OTHER)
    } else if (c === 0x22 || c === 0x60) {
      // Quoted identifiers may spell keywords (`"END"`) without being keywords.
      i = skipQuoted(sql, i, c === 0x22 ? '"' : '`')
      token(OTHER)
    } else if (c === 0x5b) {
      i = skipQuoted(sql, i, ']')
      token(OTHER)
    } else if (c === 0x3f) {
      let j = i + 1
      while (j < n && sql.charCodeAt(j) >= 0x30 && sql.charCodeAt(j) <= 0x39) j++
      param(null, j > i + 1 ? Number(sql.slice(i + 1, Math.min(j, i + 7))) : null)
      i = j
      token(OTHER)
    } else if ((c === 0x3a || c === 0x40 || c === 0x24) && i + 1 < n && isIdChar(sql.charCodeAt(i + 1))) {
      let j = i + 1
      while (j < n) {
        const d = sql.charCodeAt(j)
        if (isIdChar(d)) j++
        else if (c === 0x24 && d === 0x3a && sql.charCodeAt(j + 1) === 0x3a)
          j += 2 // Tcl-style `$a::b`
        else break
      }
      if (c === 0x24 && sql.charCodeAt(j) === 0x28) {
        const close = sql.indexOf(')', j)
        if (close !== -1) j = close + 1
      }
      param(sql.slice(i, j), null)
      i = j
      token(OTHER)
    } else if (isIdStart(c)) {
      let j = i + 1
      while (j < n && isIdChar(sql.charCodeAt(j))) j++
      word(sql.slice(i, j))
      i = j
    } else {
      if (c === 0x3d && statements === 0) sawEquals = true
      // Numbers and operators: only their presence matters.
      i++
      while (i < n && (isIdChar(sql.charCodeAt(i)) || sql.charCodeAt(i) === 0x2e) && c >= 0x30 && c <= 0x39) i++
      token(OTHER)
    }
  }
  if (statementHasTokens) statements++

  const first: string | null = firstKeyword
  const isDml = first !== null && (DML_WORDS.has(first) || (first === 'WITH' && sawDmlWord))
  const isReadonly =
    first !== null &&
    (READONLY_FIRST.has(first) || (first === 'WITH' && !sawDmlWord) || (first === 'PRAGMA' && !sawEquals))
  const mayChangeSchema = first === null || SCHEMA_FIRST.has(first)
  return { statements, firstKeyword: first, params, isDml, isReadonly, mayChangeSchema }
}

/** `analyzeSql` with a small LRU in front: the same statements are sent again and again. */
export class SqlInfoCache {
  readonly #entries = new Map<string, SqlInfo>()
  constructor(private readonly capacity = 512) {}

  get(sql: string): SqlInfo {
    const hit = this.#entries.get(sql)
    if (hit !== undefined) {
      this.#entries.delete(sql)
      this.#entries.set(sql, hit)
      return hit
    }
    const info = analyzeSql(sql)
    // Huge one-off texts (migrations) are not worth keeping.
    if (sql.length <= 16_384) {
      this.#entries.set(sql, info)
      if (this.#entries.size > this.capacity) {
        const oldest = this.#entries.keys().next().value
        if (oldest !== undefined) this.#entries.delete(oldest)
      }
    }
    return info
  }
}
