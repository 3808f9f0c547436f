/**
 * `Upstash-Retry-Delay` expressions, e.g. `pow(2, retried) * 1000` or `max(1000, 500 * retried)`.
 *
 * QStash evaluates these server-side; the emulator must too, but never with `eval`: the header is
 * attacker-controlled input. This is a tiny recursive-descent parser producing an AST that is
 * validated once at publish time (bad expression → 400) and evaluated per retry.
 *
 * Grammar:  expr := term (('+'|'-') term)*
 *           term := unary (('*'|'/'|'%') unary)*
 *           unary := ('+'|'-') unary | primary
 *           primary := number | 'retried' | name '(' expr (',' expr)* ')' | '(' expr ')'
 */

export type RetryDelayNode =
  | { type: 'num'; value: number }
  | { type: 'retried' }
  | { type: 'neg'; arg: RetryDelayNode }
  | { type: 'bin'; op: '+' | '-' | '*' | '/' | '%'; left: RetryDelayNode; right: RetryDelayNode }
  | { type: 'call'; name: FunctionName; args: RetryDelayNode[] }

type FunctionName = 'pow' | 'exp' | 'sqrt' | 'abs' | 'floor' | 'ceil' | 'round' | 'min' | 'max'

/** Arity of each supported function: [min, max] argument count. */
const FUNCTIONS: Record<FunctionName, [number, number]> = {
  pow: [2, 2],
  exp: [1, 1],
  sqrt: [1, 1],
  abs: [1, 1],
  floor: [1, 1],
  ceil: [1, 1],
  round: [1, 1],
  min: [1, 64],
  max: [1, 64],
}

export class RetryDelayError extends Error {
  override name = 'RetryDelayError'
}

/** Guards against stack exhaustion from inputs like `((((((…`. */
const MAX_DEPTH = 64
const MAX_LENGTH = 1_000

type Token = { kind: 'num'; value: number; pos: number } | { kind: 'ident' | 'op'; text: string; pos: number }

function tokenize(source: string): Token[] {
  const tokens: Token[] = []
  let i = 0
  while (i < source.length) {
    const ch = source[i] ?? ''
    if (/\s/.test(ch)) {
      i++
      continue
    }
    const number = /\d+(?:\.\d*)?(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?/y
    number.lastIndex = i
    const num = number.exec(source)
    if (num) {
      tokens.push({ kind: 'num', value: Number(num[0]), pos: i })
      i = number.lastIndex
      continue
    }
    const ident = /[A-Za-z_][A-Za-z0-9_]*/y
    ident.lastIndex = i
    const id = ident.exec(source)
    if (id) {
      tokens.push({ kind: 'ident', text: id[0], pos: i })
      i = ident.lastIndex
      continue
    }
    if ('+-*/%(),'.includes(ch)) {
      tokens.push({ kind: 'op', text: ch, pos: i })
      i++
      continue
    }
    throw new RetryDelayError(`unexpected character '${ch}' at ${i}`)
  }
  return tokens
}

class Parser {
  private index = 0
  private depth = 0
  constructor(private readonly tokens: Token[]) {}

  parse(): RetryDelayNode {
    const node = this.expr()
    const extra = this.tokens[this.index]
    if (extra) throw new RetryDelayError(`unexpected token at ${extra.pos}`)
    return node
  }

  private peekOp(): string | undefined {
    const token = this.tokens[this.index]
    return token?.kind === 'op' ? token.text : undefined
  }

  private expr(): RetryDelayNode {
    this.enter()
    let left = this.term()
    for (let op = this.peekOp(); op === '+' || op === '-'; op = this.peekOp()) {
      this.index++
      left = { type: 'bin', op, left, right: this.term() }
    }
    this.depth--
    return left
  }

  private term(): RetryDelayNode {
    let left = this.unary()
    for (let op = this.peekOp(); op === '*' || op === '/' || op === '%'; op = this.peekOp()) {
      this.index++
      left = { type: 'bin', op, left, right: this.unary() }
    }
    return left
  }

  private unary(): RetryDelayNode {
    const op = this.peekOp()
    if (op === '-' || op === '+') {
      this.index++
      this.enter()
      const arg = this.unary()
      this.depth--
      return op === '-' ? { type: 'neg', arg } : arg
    }
    return this.primary()
  }

  private primary(): RetryDelayNode {
    const token = this.tokens[this.index]
    if (!token) throw new RetryDelayError('unexpected end of expression')
    this.index++
    if (token.kind === 'num') return { type: 'num', value: token.value }
    if (token.kind === 'op') {
      if (token.text !== '(') throw new RetryDelayError(`unexpected '${token.text}' at ${token.pos}`)
      const inner = this.expr()
      this.expect(')')
      return inner
    }
    const name = token.text.toLowerCase()
    if (name === 'retried') return { type: 'retried' }
    if (!isFunctionName(name)) throw new RetryDelayError(`unknown identifier '${token.text}' at ${token.pos}`)
    this.expect('(')
    const args: RetryDelayNode[] = [this.expr()]
    while (this.peekOp() === ',') {
      this.index++
      args.push(this.expr())
    }
    this.expect(')')
    const [min, max] = FUNCTIONS[name]
    if (args.length < min || args.length > max) {
      throw new RetryDelayError(`${name}() takes ${min === max ? min : `${min}..${max}`} argument(s)`)
    }
    return { type: 'call', name, args }
  }

  private expect(op: string): void {
    const token = this.tokens[this.index]
    if (token?.kind !== 'op' || token.text !== op) {
      throw new RetryDelayError(`expected '${op}'${token ? ` at ${token.pos}` : ' at end'}`)
    }
    this.index++
  }

  private enter(): void {
    if (++this.depth > MAX_DEPTH) throw new RetryDelayError('expression nested too deeply')
  }
}

function isFunctionName(name: string): name is FunctionName {
  return Object.hasOwn(FUNCTIONS, name)
}

/** Parses (and thereby validates) an expression. Throws `RetryDelayError`. */
export function parseRetryDelay(source: string): RetryDelayNode {
  if (source.length > MAX_LENGTH) throw new RetryDelayError('expression too long')
  const tokens = tokenize(source)
  if (tokens.length === 0) throw new RetryDelayError('empty expression')
  return new Parser(tokens).parse()
}

/** Raw numeric value of the expression for a given `retried` count (may be NaN/negative). */
export function evaluateRetryDelay(node: RetryDelayNode, retried: number): number {
  switch (node.type) {
    case 'num':
      return node.value
    case 'retried':
      return retried
    case 'neg':
      return -evaluateRetryDelay(node.arg, retried)
    case 'bin': {
      const a = evaluateRetryDelay(node.left, retried)
      const b = evaluateRetryDelay(node.right, retried)
      if (node.op === '+') return a + b
      if (node.op === '-') return a - b
      if (node.op === '*') return a * b
      if (node.op === '/') return a / b
      return a % b
    }
    case 'call': {
      const args = node.args.map((arg) => evaluateRetryDelay(arg, retried))
      const [x = Number.NaN, y = Number.NaN] = args
      switch (node.name) {
        case 'pow':
          return x ** y
        case 'exp':
          return Math.exp(x)
        case 'sqrt':
          return Math.sqrt(x)
        case 'abs':
          return Math.abs(x)
        case 'floor':
          return Math.floor(x)
        case 'ceil':
          return Math.ceil(x)
        case 'round':
          return Math.round(x)
        case 'min':
          return Math.min(...args)
        case 'max':
          return Math.max(...args)
      }
    }
  }
}

/**
 * Delay in ms before the next attempt. `retried` is how many retries already happened (0 before the
 * first retry), as in the QStash docs' `1000 * (1 + retried)` → 1s, 2s, 3s. Results that are not
 * finite or negative become 0; everything is capped at one day like the default backoff.
 */
export function retryDelayMs(node: RetryDelayNode, retried: number): number {
  const value = evaluateRetryDelay(node, retried)
  if (!Number.isFinite(value) || value < 0) return 0
  return Math.min(Math.round(value), 86_400_000)
}

/** QStash's default backoff: `min(86400, e^(2.5·n))` seconds, n = retries so far including this one (n ≥ 1). */
export function defaultBackoffMs(n: number): number {
  return Math.round(Math.min(86_400, Math.exp(2.5 * n)) * 1_000)
}
