/**
 * Who is calling, for login logs and the session list: IP, rough location and a parsed User-Agent.
 *
 * The IP comes from `CF-Connecting-IP` only. Cloudflare sets it on every request and overwrites whatever a client
 * sent, while `X-Forwarded-For`/`X-Real-IP` are whatever the client chose to write. Wrangler dev sets it too, so it
 * is only missing when a request never went through Cloudflare (unit tests, a hand-built Request): that is recorded as
 * `'unknown'` rather than a made-up `127.0.0.1`, which would read like a real local login in an audit log.
 */

export interface ClientInfo {
  ip: string
  country: string | null
  region: string | null
  city: string | null
  userAgent: string | null
  browser: string | null
  os: string | null
  device: string | null
}

export interface ParsedUserAgent {
  /** Name and major version, e.g. `Chrome 120`, `curl 8`, `Googlebot 2`. */
  browser: string | null
  /** e.g. `Windows 10` (Windows 11 sends the same token), `macOS`, `iOS 17.1`, `Android 14`, `Linux`, `ChromeOS`. */
  os: string | null
  device: 'Mobile' | 'Tablet' | 'PC' | 'Bot' | 'Other'
}

export const UNKNOWN_IP = 'unknown'
/** Longest user agent kept (and parsed); real ones are far shorter, a longer one is junk or an attack on the log. */
export const MAX_USER_AGENT_LENGTH = 512

// Digits, hex, dots and colons: an IPv4 or IPv6 address. Anything else never came from Cloudflare.
const IP_SHAPE = /^[0-9A-Fa-f:.]{2,45}$/
// ISO 3166-1 alpha-2, or Cloudflare's T1 for Tor. `XX` (unknown) is left out on purpose.
const COUNTRY_SHAPE = /^(?!XX$)(?:[A-Z]{2}|T1)$/

/** The client address: `CF-Connecting-IP` only (clients can forge X-Forwarded-For), when it looks like one. */
export function connectingIp(request: Request): string {
  const ip = request.headers.get('CF-Connecting-IP')?.trim()
  return ip && IP_SHAPE.test(ip) ? ip : UNKNOWN_IP
}

/** The part of Cloudflare's `request.cf` read here (declared locally: the Workers types are not global in every build). */
interface CfLocation {
  country?: string
  region?: string
  city?: string
}

/** The location recorded for a local address (fba's offline lookup likewise puts its marker, `内网IP`, in the city). */
export const LOCAL_LOCATION = { country: null, region: null, city: 'local' } as const

const localIpv4 = ([a, b]: number[]): boolean =>
  a === 127 || a === 10 || (a === 172 && b! >= 16 && b! <= 31) || (a === 192 && b === 168) || (a === 169 && b === 254)

/**
 * Whether `ip` is loopback, private or link-local (IPv4 127/8, 10/8, 172.16/12, 192.168/16, 169.254/16; IPv6 ::1,
 * fc00::/7, fe80::/10, and IPv4-mapped forms of those): a client on this machine or its network, e.g. under
 * `npm run dev`. Such a request has no real location (wrangler dev reports a fixed placeholder one).
 */
export function isLocalAddress(ip: string): boolean {
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(ip)
  if (v4) return localIpv4(v4.slice(1).map(Number))
  if (!ip.includes(':')) return false
  let host: string
  try {
    // The URL parser writes IPv6 in its one canonical form: lower case, zeros compressed, IPv4-mapped as hex.
    host = new URL(`http://[${ip}]/`).hostname.slice(1, -1)
  } catch {
    return false
  }
  const mapped = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(host)
  if (mapped) {
    const [hi, lo] = [Number.parseInt(mapped[1]!, 16), Number.parseInt(mapped[2]!, 16)]
    return localIpv4([hi >> 8, hi & 0xff, lo >> 8, lo & 0xff])
  }
  return host === '::1' || /^f[cd][0-9a-f]{2}:/.test(host) || /^fe[89ab][0-9a-f]:/.test(host)
}

export function clientInfo(request: Request): ClientInfo {
  // Cloudflare adds `cf` to incoming requests; other hosts (Node, tests) have only the header, if any.
  const cf = (request as { cf?: CfLocation }).cf
  const country = cf?.country ?? request.headers.get('CF-IPCountry')?.trim().toUpperCase()
  const userAgent = request.headers.get('User-Agent')?.trim().slice(0, MAX_USER_AGENT_LENGTH) || null
  const parsed = userAgent ? parseUserAgent(userAgent) : { browser: null, os: null, device: null }
  const ip = connectingIp(request)
  const location = isLocalAddress(ip)
    ? LOCAL_LOCATION
    : {
        country: country && COUNTRY_SHAPE.test(country) ? country : null,
        region: cf?.region || null,
        city: cf?.city || null,
      }
  return { ip, ...location, userAgent, ...parsed }
}

/** Crawlers first: many of them also claim to be Chrome or Safari. */
const CRAWLER = /\b([A-Za-z][\w-]*(?:bot|spider|crawler))\/(\d+)/i
const SCRIPTED_CLIENT =
  /\b(curl|Wget|python-requests|python-httpx|Go-http-client|okhttp|PostmanRuntime|axios|node-fetch|undici|HeadlessChrome|facebookexternalhit)\/(\d+)/i
// Without a version: a bare `bot`/`crawler` word, a name ending in `bot` right before `/`, `;` or `)`, or the
// `+https://…` contact link crawlers put in their UA. Not `bot\b` alone: that would catch phones like `CUBOT X19`.
const ANY_BOT = /\b(?:bot|crawler|spider)\b|bot[/;)]|\+https?:\/\/|slurp|headless/i

/**
 * Most specific first: Edge, Opera, Samsung Internet and WeChat all also carry `Chrome/` or `Safari/`, and Chrome
 * carries `Safari/`.
 */
const BROWSERS: ReadonlyArray<[RegExp, string]> = [
  [/\bMicroMessenger\/(\d+)/, 'WeChat'],
  [/\bEdg(?:e|A|iOS)?\/(\d+)/, 'Edge'],
  [/\b(?:OPR|OPiOS|OPT)\/(\d+)/, 'Opera'],
  [/\bSamsungBrowser\/(\d+)/, 'Samsung Internet'],
  [/\bUCBrowser\/(\d+)/, 'UC Browser'],
  [/\bM?QQBrowser\/(\d+)/, 'QQ Browser'],
  [/\b(?:Firefox|FxiOS)\/(\d+)/, 'Firefox'],
  [/\b(?:Chrome|CriOS)\/(\d+)/, 'Chrome'],
  [/\bMSIE (\d+)/, 'IE'],
  [/\bTrident\/.*\brv:(\d+)/, 'IE'],
  [/\bVersion\/(\d+)[^()]*\bSafari\//, 'Safari'],
]

const WINDOWS_VERSIONS: Record<string, string> = {
  '10.0': '10',
  '6.3': '8.1',
  '6.2': '8',
  '6.1': '7',
  '6.0': 'Vista',
  '5.2': 'XP',
  '5.1': 'XP',
}

/** The same goes for systems: iOS claims `like Mac OS X`, Android and ChromeOS claim `Linux`. */
function parseOs(ua: string): string | null {
  if (/\b(?:HarmonyOS|OpenHarmony)\b/.test(ua)) return 'HarmonyOS'
  if (/\bWindows Phone\b/.test(ua)) return 'Windows Phone'
  const ios = /\b(?:iPhone|iPad|iPod)\b/.test(ua) ? /\bOS (\d+(?:_\d+)*) like Mac OS X/.exec(ua) : null
  if (ios) return `iOS ${shortVersion(ios[1]!)}`
  if (/\b(?:iPhone|iPad|iPod)\b/.test(ua)) return 'iOS'
  const android = /\bAndroid(?:[ /](\d+(?:\.\d+)*))?/.exec(ua)
  if (android) return android[1] ? `Android ${shortVersion(android[1])}` : 'Android'
  if (/\bCrOS\b/.test(ua)) return 'ChromeOS'
  const windows = /\bWindows NT (\d+\.\d+)/.exec(ua)
  if (windows) return `Windows ${WINDOWS_VERSIONS[windows[1]!] ?? 'NT'}`
  if (/\bWindows\b/.test(ua)) return 'Windows'
  // Safari froze the reported macOS version at 10_15_7, so a version here would be wrong more often than not.
  if (/\b(?:Macintosh|Mac OS X)\b/.test(ua)) return 'macOS'
  if (/\b(?:Linux|X11|Ubuntu|Fedora)\b/.test(ua)) return 'Linux'
  return null
}

/** `17_1_2` → `17.1`, `8.1.0` → `8.1`, `16_0` → `16`: enough to tell releases apart without noise. */
function shortVersion(raw: string): string {
  const parts = raw.split(/[._]/).slice(0, 2)
  while (parts.length > 1 && parts.at(-1) === '0') parts.pop()
  return parts.join('.')
}

function parseDevice(ua: string, os: string | null): ParsedUserAgent['device'] {
  // Android tablets are Android without the `Mobile` token.
  // Old IE on touch PCs says `Tablet PC 2.0`, which is not a tablet.
  if (
    /\b(?:iPad|Kindle|Silk|PlayBook)\b|\bTablet\b(?! PC)/.test(ua) ||
    (/\bAndroid\b/.test(ua) && !/\bMobile\b/.test(ua))
  ) {
    return 'Tablet'
  }
  if (/\b(?:Mobi|Mobile|iPhone|iPod|Windows Phone)\b/.test(ua)) return 'Mobile'
  if (os && /^(?:Windows|macOS|Linux|ChromeOS)\b/.test(os)) return 'PC'
  return 'Other'
}

/** Dependency-free and deliberately small: the answer only has to be good enough for a person reading a log. */
export function parseUserAgent(userAgent: string): ParsedUserAgent {
  const ua = userAgent.slice(0, MAX_USER_AGENT_LENGTH)
  const os = parseOs(ua)
  const bot = CRAWLER.exec(ua) ?? SCRIPTED_CLIENT.exec(ua)
  if (bot) return { browser: `${bot[1]} ${bot[2]}`, os, device: 'Bot' }
  if (ANY_BOT.test(ua)) return { browser: null, os, device: 'Bot' }
  let browser: string | null = null
  for (const [pattern, name] of BROWSERS) {
    const match = pattern.exec(ua)
    if (match) {
      browser = `${name} ${match[1]}`
      break
    }
  }
  return { browser, os, device: parseDevice(ua, os) }
}
