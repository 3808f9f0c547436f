/**
 * IP address text to numbers, for the code that compares or groups addresses: the per-IP rate limit's buckets
 * (an IPv6 client by its /64) and the Node, Bun and Deno hosts' trusted proxies. Strict: dotted quads without leading
 * zeros (some parsers read those as octal), IPv6 with at most one `::` and an optional dotted IPv4 tail, no zone id.
 */

const V4_PART = /^(?:0|[1-9]\d{0,2})$/
const V6_GROUP = /^[0-9A-Fa-f]{1,4}$/

/** A dotted-quad IPv4 address as a 32-bit number, or undefined when it is not one. */
export function parseIpv4(text: string): number | undefined {
  const parts = text.split('.')
  if (parts.length !== 4) return undefined
  let value = 0
  for (const part of parts) {
    if (!V4_PART.test(part)) return undefined
    const n = Number(part)
    if (n > 255) return undefined
    value = value * 256 + n
  }
  return value
}

/** The 16-bit groups of one side of `::` (the last group may be a dotted IPv4 when `v4Tail`). */
function groupsOf(side: string, v4Tail: boolean): number[] | undefined {
  if (side === '') return []
  const parts = side.split(':')
  const groups: number[] = []
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i] ?? ''
    if (v4Tail && i === parts.length - 1 && part.includes('.')) {
      const v4 = parseIpv4(part)
      if (v4 === undefined) return undefined
      groups.push(Math.floor(v4 / 65536), v4 % 65536)
    } else if (V6_GROUP.test(part)) {
      groups.push(Number.parseInt(part, 16))
    } else {
      return undefined
    }
  }
  return groups
}

/** An IPv6 address as its eight 16-bit groups, or undefined when it is not one. */
export function ipv6Groups(text: string): number[] | undefined {
  if (text.length < 2 || text.length > 45) return undefined
  const gap = text.indexOf('::')
  if (gap < 0) {
    const groups = groupsOf(text, true)
    return groups?.length === 8 ? groups : undefined
  }
  if (text.indexOf('::', gap + 1) >= 0) return undefined
  const left = groupsOf(text.slice(0, gap), false)
  const right = groupsOf(text.slice(gap + 2), true)
  if (!left || !right || left.length + right.length > 7) return undefined
  return [...left, ...new Array<number>(8 - left.length - right.length).fill(0), ...right]
}
