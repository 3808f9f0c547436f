import { describe, expect, it } from 'vitest'
import {
  clientInfo,
  isLocalAddress,
  MAX_USER_AGENT_LENGTH,
  parseUserAgent,
  UNKNOWN_IP,
} from '../../src/http/client-info'

const request = (headers: Record<string, string> = {}, cf?: Partial<IncomingRequestCfProperties>) =>
  new Request('https://api.example.com/api/v1/auth/login', { headers, cf: cf as IncomingRequestCfProperties })

// Real user agents as browsers, crawlers and tools send them.
const USER_AGENTS: Array<[string, string, ReturnType<typeof parseUserAgent>]> = [
  [
    'Chrome on Windows',
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36',
    { browser: 'Chrome 120', os: 'Windows 10', device: 'PC' },
  ],
  [
    'Safari on iPhone',
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_1_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1.2 Mobile/15E148 Safari/604.1',
    { browser: 'Safari 17', os: 'iOS 17.1', device: 'Mobile' },
  ],
  [
    'Firefox on Linux',
    'Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0',
    { browser: 'Firefox 121', os: 'Linux', device: 'PC' },
  ],
  [
    'Edge on Windows',
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36 Edg/120.0.2210.91',
    { browser: 'Edge 120', os: 'Windows 10', device: 'PC' },
  ],
  [
    'Chrome on Android',
    'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.6099.144 Mobile Safari/537.36',
    { browser: 'Chrome 120', os: 'Android 14', device: 'Mobile' },
  ],
  [
    'Safari on iPad',
    'Mozilla/5.0 (iPad; CPU OS 16_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/16.6 Mobile/15E148 Safari/604.1',
    { browser: 'Safari 16', os: 'iOS 16.6', device: 'Tablet' },
  ],
  ['curl', 'curl/8.4.0', { browser: 'curl 8', os: null, device: 'Bot' }],
  [
    'Googlebot',
    'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
    { browser: 'Googlebot 2', os: null, device: 'Bot' },
  ],
  [
    'Googlebot smartphone (claims Chrome on Android)',
    'Mozilla/5.0 (Linux; Android 6.0.1; Nexus 5X Build/MMB29P) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.6099.129 Mobile Safari/537.36 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
    { browser: 'Googlebot 2', os: 'Android 6', device: 'Bot' },
  ],
  [
    'Safari on macOS',
    'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Safari/605.1.15',
    { browser: 'Safari 17', os: 'macOS', device: 'PC' },
  ],
  [
    'Opera on Windows',
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/119.0.0.0 Safari/537.36 OPR/105.0.0.0',
    { browser: 'Opera 105', os: 'Windows 10', device: 'PC' },
  ],
  [
    'Samsung Internet',
    'Mozilla/5.0 (Linux; Android 13; SAMSUNG SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/23.0 Chrome/115.0.0.0 Mobile Safari/537.36',
    { browser: 'Samsung Internet 23', os: 'Android 13', device: 'Mobile' },
  ],
  [
    'WeChat on iPhone',
    'Mozilla/5.0 (iPhone; CPU iPhone OS 16_3 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.33(0x18002129) NetType/WIFI Language/zh_CN',
    { browser: 'WeChat 8', os: 'iOS 16.3', device: 'Mobile' },
  ],
  [
    'IE 11 on Windows 7',
    'Mozilla/5.0 (Windows NT 6.1; WOW64; Trident/7.0; rv:11.0) like Gecko',
    { browser: 'IE 11', os: 'Windows 7', device: 'PC' },
  ],
  [
    'Chrome on a Chromebook',
    'Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36',
    { browser: 'Chrome 120', os: 'ChromeOS', device: 'PC' },
  ],
  [
    'Chrome on an Android tablet (no Mobile token)',
    'Mozilla/5.0 (Linux; Android 13; SM-X700) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36',
    { browser: 'Chrome 120', os: 'Android 13', device: 'Tablet' },
  ],
  [
    'Chrome on iPhone',
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/120.0.6099.119 Mobile/15E148 Safari/604.1',
    { browser: 'Chrome 120', os: 'iOS 17.2', device: 'Mobile' },
  ],
  [
    'Firefox on Android',
    'Mozilla/5.0 (Android 14; Mobile; rv:121.0) Gecko/121.0 Firefox/121.0',
    { browser: 'Firefox 121', os: 'Android 14', device: 'Mobile' },
  ],
  [
    'a phone whose model ends in "bot"',
    'Mozilla/5.0 (Linux; Android 9; CUBOT X19) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Mobile Safari/537.36',
    { browser: 'Chrome 120', os: 'Android 9', device: 'Mobile' },
  ],
  ['something unknown', 'MyApp', { browser: null, os: null, device: 'Other' }],
]

describe('user agent parsing', () => {
  it.each(USER_AGENTS)('%s', (_name, ua, expected) => {
    expect(parseUserAgent(ua)).toEqual(expected)
  })
})

describe('client info', () => {
  it('takes the IP from CF-Connecting-IP and ignores spoofable headers', () => {
    const info = clientInfo(
      request({ 'CF-Connecting-IP': '203.0.113.7', 'X-Forwarded-For': '1.2.3.4', 'X-Real-IP': '5.6.7.8' }),
    )
    expect(info.ip).toBe('203.0.113.7')
    expect(clientInfo(request({ 'CF-Connecting-IP': '2001:db8::1' })).ip).toBe('2001:db8::1')
  })

  it('never trusts X-Forwarded-For or X-Real-IP, even when CF-Connecting-IP is absent', () => {
    expect(clientInfo(request({ 'X-Forwarded-For': '1.2.3.4', 'X-Real-IP': '5.6.7.8' })).ip).toBe(UNKNOWN_IP)
  })

  it('refuses a CF-Connecting-IP that is not an address', () => {
    expect(clientInfo(request({ 'CF-Connecting-IP': '<script>' })).ip).toBe(UNKNOWN_IP)
  })

  it('reads the location from request.cf', () => {
    const info = clientInfo(request({}, { country: 'DE', region: 'Hesse', city: 'Frankfurt am Main' }))
    expect(info).toMatchObject({ country: 'DE', region: 'Hesse', city: 'Frankfurt am Main' })
  })

  it('reports a loopback or private client as local, not the placeholder location wrangler dev gives it', () => {
    const placeholder = { country: 'US', region: 'Texas', city: 'Austin' } as const
    for (const ip of ['127.0.0.1', '::1', '10.1.2.3', '192.168.0.5', 'fd00::7'])
      expect(clientInfo(request({ 'CF-Connecting-IP': ip }, placeholder)), ip).toMatchObject({
        ip,
        country: null,
        region: null,
        city: 'local',
      })
    expect(clientInfo(request({ 'CF-Connecting-IP': '203.0.113.7' }, placeholder))).toMatchObject(placeholder)
  })

  it('tells loopback, private and link-local addresses from public ones', () => {
    const local = ['127.0.0.1', '127.255.0.9', '10.0.0.1', '172.16.0.1', '172.31.255.255', '192.168.1.1', '169.254.1.1']
    const localV6 = ['::1', '0:0:0:0:0:0:0:1', 'fc00::1', 'fd12:3456::1', 'fe80::1', 'FE80::abcd', '::ffff:127.0.0.1']
    const publicIps = ['8.8.8.8', '172.15.0.1', '172.32.0.1', '192.169.0.1', '11.0.0.1', '2001:db8::1', 'fec0::1']
    const others = ['::ffff:8.8.8.8', 'fc::1', '::', UNKNOWN_IP, '1.2.3']
    for (const ip of [...local, ...localV6]) expect(isLocalAddress(ip), ip).toBe(true)
    for (const ip of [...publicIps, ...others]) expect(isLocalAddress(ip), ip).toBe(false)
  })

  it('falls back to CF-IPCountry for the country, skipping Cloudflare\'s "unknown" XX', () => {
    expect(clientInfo(request({ 'CF-IPCountry': 'jp' })).country).toBe('JP')
    expect(clientInfo(request({ 'CF-IPCountry': 'XX' })).country).toBeNull()
    expect(clientInfo(request({ 'CF-IPCountry': 'T1' })).country).toBe('T1')
    expect(clientInfo(request({ 'CF-IPCountry': 'Germany' })).country).toBeNull()
  })

  it('fills the user agent fields', () => {
    const ua = USER_AGENTS[0]![1]
    expect(clientInfo(request({ 'User-Agent': ua }))).toMatchObject({
      userAgent: ua,
      browser: 'Chrome 120',
      os: 'Windows 10',
      device: 'PC',
    })
  })

  it('truncates a long user agent', () => {
    const info = clientInfo(request({ 'User-Agent': `curl/8.4.0 ${'x'.repeat(2000)}` }))
    expect(info.userAgent).toHaveLength(MAX_USER_AGENT_LENGTH)
    expect(info.browser).toBe('curl 8')
  })

  it('answers nulls when nothing is known', () => {
    expect(clientInfo(request())).toEqual({
      ip: UNKNOWN_IP,
      country: null,
      region: null,
      city: null,
      userAgent: null,
      browser: null,
      os: null,
      device: null,
    })
  })
})
