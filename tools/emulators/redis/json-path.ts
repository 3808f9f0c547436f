/**
 * The JSONPath subset the emulated `JSON.*` commands understand (docs/emulators/redis.md, "JSON documents"):
 * `$`, `.name`, `['name']`, `[n]` (negative from the end), `[*]` / `.*`, `..` (recursive descent), unions
 * `[0,2]` / `['a','b']` and slices `[start:end:step]`. Filter expressions (`[?(…)]`) are refused with an error.
 * Legacy paths (`.`, `.a.b`, `a[0]`) are the same steps without the `$`; callers decide the reply shape.
 */

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue }
export type JsonContainer = JsonValue[] | { [key: string]: JsonValue }

/** A path that does not parse, or uses a feature outside the subset: a command error. */
export class JsonPathError extends Error {
  override name = 'JsonPathError'
}

type Step =
  | { kind: 'members'; members: (string | number)[] }
  | { kind: 'wildcard' }
  | { kind: 'slice'; start?: number; end?: number; step: number }
  | { kind: 'descend' }

export interface ParsedPath {
  /** The text the client sent (JSON.GET with several paths keys its reply by it). */
  text: string
  /** `$…` paths reply with every match; legacy paths with the first one, and an error when there is none. */
  legacy: boolean
  steps: Step[]
}

/** Where a match sits: the root has no parent. */
export interface JsonLocation {
  value: JsonValue
  parent?: JsonContainer
  key?: string | number
}

export function isObject(value: JsonValue | undefined): value is { [key: string]: JsonValue } {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

export function parsePath(text: string): ParsedPath {
  const legacy = !text.startsWith('$')
  let body: string
  if (!legacy) body = text.slice(1)
  else if (text === '.' || text === '') body = ''
  else if (text.startsWith('.') || text.startsWith('[')) body = text
  else body = `.${text}`
  return { text, legacy, steps: parseSteps(body, text) }
}

function parseSteps(body: string, text: string): Step[] {
  const steps: Step[] = []
  const fail = (why: string) => new JsonPathError(`ERR JSONPath syntax error at '${text}': ${why}`)
  let i = 0
  while (i < body.length) {
    const char = body[i]
    if (char === '.') {
      i++
      if (body[i] === '.') {
        steps.push({ kind: 'descend' })
        i++
        if (body[i] === '[') continue
      }
      if (body[i] === '*') {
        steps.push({ kind: 'wildcard' })
        i++
        continue
      }
      let end = i
      while (end < body.length && body[end] !== '.' && body[end] !== '[') end++
      const name = body.slice(i, end)
      if (name === '') throw fail('empty member name')
      steps.push({ kind: 'members', members: [name] })
      i = end
    } else if (char === '[') {
      const close = closingBracket(body, i)
      if (close < 0) throw fail("missing ']'")
      steps.push(bracketStep(body.slice(i + 1, close).trim(), fail))
      i = close + 1
    } else {
      throw fail(`unexpected '${char}'`)
    }
  }
  return steps
}

function closingBracket(body: string, open: number): number {
  let quote: string | undefined
  for (let i = open + 1; i < body.length; i++) {
    const char = body[i]
    if (quote) {
      if (char === '\\') i++
      else if (char === quote) quote = undefined
    } else if (char === '"' || char === "'") quote = char
    else if (char === ']') return i
  }
  return -1
}

function bracketStep(inner: string, fail: (why: string) => JsonPathError): Step {
  if (inner === '*') return { kind: 'wildcard' }
  if (inner.startsWith('?')) {
    throw new JsonPathError('ERR JSONPath filter expressions are not supported by the Stratum Redis emulator')
  }
  if (/^-?\d*:-?\d*(:-?\d*)?$/.test(inner)) {
    const [start, end, step] = inner.split(':').map((part) => (part === '' ? undefined : Number(part)))
    if (step === 0) throw fail('slice step 0')
    return { kind: 'slice', start, end, step: step ?? 1 }
  }
  const members: (string | number)[] = []
  for (const part of splitUnion(inner)) {
    if (/^-?\d+$/.test(part)) members.push(Number(part))
    else if (/^(['"]).*\1$/s.test(part)) members.push(unquote(part, fail))
    else throw fail(`cannot read '[${inner}]'`)
  }
  if (members.length === 0) throw fail('empty brackets')
  return { kind: 'members', members }
}

function splitUnion(inner: string): string[] {
  const parts: string[] = []
  let quote: string | undefined
  let start = 0
  for (let i = 0; i < inner.length; i++) {
    const char = inner[i]
    if (quote) {
      if (char === '\\') i++
      else if (char === quote) quote = undefined
    } else if (char === '"' || char === "'") quote = char
    else if (char === ',') {
      parts.push(inner.slice(start, i).trim())
      start = i + 1
    }
  }
  parts.push(inner.slice(start).trim())
  return parts
}

function unquote(part: string, fail: (why: string) => JsonPathError): string {
  const body = part.slice(1, -1)
  if (part.startsWith('"')) {
    try {
      return JSON.parse(part) as string
    } catch {
      throw fail(`bad string ${part}`)
    }
  }
  return body.replace(/\\(.)/g, '$1')
}

/** Every match of `path` in `root`, in document order. */
export function evaluate(root: JsonValue, path: ParsedPath): JsonLocation[] {
  return evaluateSteps([{ value: root }], path.steps)
}

export function evaluateSteps(start: JsonLocation[], steps: Step[]): JsonLocation[] {
  let nodes = start
  for (const step of steps) nodes = nodes.flatMap((node) => applyStep(node, step))
  return nodes
}

function applyStep(node: JsonLocation, step: Step): JsonLocation[] {
  const { value } = node
  switch (step.kind) {
    case 'descend':
      return descendants(node)
    case 'wildcard':
      if (Array.isArray(value)) return value.map((item, key) => ({ value: item, parent: value, key }))
      if (isObject(value)) return Object.entries(value).map(([key, item]) => ({ value: item, parent: value, key }))
      return []
    case 'members':
      return step.members.flatMap((member): JsonLocation[] => {
        if (typeof member === 'string') {
          return isObject(value) && Object.hasOwn(value, member)
            ? [{ value: value[member]!, parent: value, key: member }]
            : []
        }
        if (!Array.isArray(value)) return []
        const index = member < 0 ? value.length + member : member
        return index >= 0 && index < value.length ? [{ value: value[index]!, parent: value, key: index }] : []
      })
    case 'slice': {
      if (!Array.isArray(value)) return []
      const length = value.length
      const clamp = (n: number) => Math.min(Math.max(n < 0 ? length + n : n, 0), length)
      const out: JsonLocation[] = []
      if (step.step > 0) {
        for (let i = clamp(step.start ?? 0); i < clamp(step.end ?? length); i += step.step) {
          out.push({ value: value[i]!, parent: value, key: i })
        }
      } else {
        const from = step.start === undefined ? length - 1 : Math.min(clamp(step.start), length - 1)
        const to = step.end === undefined ? -1 : clamp(step.end)
        const stride = -step.step
        for (let i = from; i > to; i -= stride) out.push({ value: value[i]!, parent: value, key: i })
      }
      return out
    }
  }
}

function descendants(node: JsonLocation): JsonLocation[] {
  const out: JsonLocation[] = [node]
  const { value } = node
  if (Array.isArray(value)) {
    for (const [key, item] of value.entries()) out.push(...descendants({ value: item, parent: value, key }))
  } else if (isObject(value)) {
    for (const [key, item] of Object.entries(value)) out.push(...descendants({ value: item, parent: value, key }))
  }
  return out
}

/**
 * Where JSON.SET may create a member: the path's last step names one object member and its parent exists.
 * Returns the parents' locations and the member name, or undefined when the path cannot create anything.
 */
export function creationTargets(
  root: JsonValue,
  path: ParsedPath,
): { parents: JsonLocation[]; name: string } | undefined {
  const last = path.steps.at(-1)
  if (last?.kind !== 'members' || last.members.length !== 1 || typeof last.members[0] !== 'string') return undefined
  const parents = evaluateSteps([{ value: root }], path.steps.slice(0, -1)).filter((parent) => isObject(parent.value))
  return { parents, name: last.members[0] }
}
