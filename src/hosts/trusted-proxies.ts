/**
 * Trusted proxies of the Node, Bun and Deno hosts (docs/hosts.md, "Behind a reverse proxy"). `TRUSTED_PROXIES` lists
 * the addresses and CIDR ranges of the proxies in front of the host (nginx, a load balancer). A request whose socket
 * peer is one of them comes from the right-most `X-Forwarded-For` address that is not: each trusted hop appends the
 * address it saw, so everything to the left of the first untrusted entry (walking from the right) is whatever the
 * client wrote, and is never read. Empty (the default): the peer is the client, as before. Workers never read any of
 * this: Cloudflare sets `CF-Connecting-IP` itself.
 *
 * Pure functions, no `node:` module: Node, Bun and Deno run it alike, and tests call it directly.
 */
import { ipv6Groups, parseIpv4 } from '../core/ip'

/** An IPv4 address (32 bits) or an IPv6 one (128 bits); IPv4-mapped IPv6 (`::ffff:a.b.c.d`) is read as IPv4. */
interface Address {
  v6: boolean
  value: bigint
  /** The address as it is passed on: as written, an IPv4-mapped one as its IPv4 form. */
  text: string
}

/** A CIDR range; `shift` drops the bits past the prefix. */
interface Range {
  v6: boolean
  network: bigint
  shift: bigint
}

export type TrustedProxies = readonly Range[]

// `203.0.113.7:51234`, `[2001:db8::1]:443`, `[2001:db8::1]`: some proxies write the client's port too.
const V4_WITH_PORT = /^(\d{1,3}(?:\.\d{1,3}){3}):\d{1,5}$/
const BRACKETED_V6 = /^\[([^\]]+)\](?::\d{1,5})?$/

/** IPv6 as a 128-bit number. */
function parseV6(text: string): bigint | undefined {
  const groups = ipv6Groups(text)
  if (!groups) return undefined
  let value = 0n
  for (const group of groups) value = (value << 16n) | BigInt(group)
  return value
}

const MAPPED_V4 = 0xffffn

/** An address as written (an X-Forwarded-For entry, a socket's peer), or undefined when it is not one. */
export function parseAddress(text: string): Address | undefined {
  const v4 = parseIpv4(text)
  if (v4 !== undefined) return { v6: false, value: BigInt(v4), text }
  const v6 = parseV6(text)
  if (v6 === undefined) return undefined
  if (v6 >> 32n === MAPPED_V4) {
    const low = v6 & 0xffffffffn
    const octets = [24n, 16n, 8n, 0n].map((shift) => String((low >> shift) & 0xffn))
    return { v6: false, value: low, text: octets.join('.') }
  }
  return { v6: true, value: v6, text }
}

/** An X-Forwarded-For entry: an address, possibly with a port (`a.b.c.d:port`, `[v6]:port`). */
function forwardedAddress(entry: string): Address | undefined {
  const text = entry.trim()
  const unwrapped = V4_WITH_PORT.exec(text)?.[1] ?? BRACKETED_V6.exec(text)?.[1] ?? text
  return parseAddress(unwrapped)
}

/** One entry of `TRUSTED_PROXIES`: an address (a range of one) or `address/prefix`; a problem message otherwise. */
function parseRange(entry: string): Range | string {
  const slash = entry.indexOf('/')
  const address = parseAddress(slash < 0 ? entry : entry.slice(0, slash))
  const bits = address?.v6 ? 128 : 32
  const prefixText = slash < 0 ? String(bits) : entry.slice(slash + 1)
  const prefix = /^\d{1,3}$/.test(prefixText) ? Number(prefixText) : Number.NaN
  if (!address || !(prefix <= bits)) {
    return `"${entry}" is not an IP address or a CIDR range like 10.0.0.0/8 or fd00::/8`
  }
  const shift = BigInt(bits - prefix)
  // A range names its network address: `10.0.0.1/8` is more likely a mistake than a wish to trust all of 10/8.
  if ((address.value >> shift) << shift !== address.value) {
    return `"${entry}": the address bits past /${prefix} must be zero (a range starts at its network address)`
  }
  return { v6: address.v6, network: address.value, shift }
}

/**
 * `TRUSTED_PROXIES`: addresses and CIDR ranges separated by commas or spaces (IPv4 and IPv6). Empty or unset: none.
 * A bad entry is a problem in the form of the config errors (`KEY: message`), for the one start-up message.
 */
export function parseTrustedProxies(value: string | undefined): { proxies: TrustedProxies; problems: string[] } {
  const proxies: Range[] = []
  for (const entry of (value ?? '').split(/[\s,]+/)) {
    if (!entry) continue
    const range = parseRange(entry)
    if (typeof range === 'string') return { proxies: [], problems: [`TRUSTED_PROXIES: ${range}`] }
    proxies.push(range)
  }
  return { proxies, problems: [] }
}

function trusted(proxies: TrustedProxies, address: Address): boolean {
  for (const range of proxies) {
    if (range.v6 === address.v6 && address.value >> range.shift === range.network >> range.shift) return true
  }
  return false
}

/**
 * The client's address for a request from `peer` (the socket's): the peer itself unless it is a trusted proxy; then
 * the right-most `X-Forwarded-For` entry that is not trusted. When every entry is trusted, the left-most one (a
 * request a proxy made itself has no entry: the peer). A malformed entry ends the walk at the hop that handed it over
 * (the last address read), never at the client-written text to its left.
 */
export function clientAddress(
  peer: string | undefined,
  forwardedFor: () => string | null,
  proxies: TrustedProxies,
): string | undefined {
  // Nothing to parse on the common path: no proxies configured (the host strips `::ffff:` from the peer itself).
  if (!proxies.length || peer === undefined) return peer
  const address = parseAddress(peer)
  if (!address || !trusted(proxies, address)) return peer
  const entries = forwardedFor()?.split(',')
  if (!entries) return peer
  let client = address.text
  for (let i = entries.length - 1; i >= 0; i--) {
    const hop = forwardedAddress(entries[i] ?? '')
    if (!hop) return client
    client = hop.text
    if (!trusted(proxies, hop)) return client
  }
  return client
}
