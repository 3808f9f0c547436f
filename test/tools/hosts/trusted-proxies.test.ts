/**
 * `TRUSTED_PROXIES` of the Node, Bun and Deno hosts (src/hosts/trusted-proxies.ts, docs/hosts.md "Behind a reverse
 * proxy"): which address a request counts as, from its socket peer and `X-Forwarded-For`, and the setting's checks.
 */
import { describe, expect, it } from 'vitest'
import { clientAddress, parseAddress, parseTrustedProxies } from '../../../src/hosts/trusted-proxies'

function proxies(setting: string) {
  const { proxies, problems } = parseTrustedProxies(setting)
  expect(problems).toEqual([])
  return proxies
}

const LB = proxies('10.0.0.0/8, 192.168.1.5 fd00::/8')

/** The client of a request from `peer` carrying `forwarded` as its X-Forwarded-For (none when undefined). */
const client = (peer: string | undefined, forwarded?: string, trusted = LB) =>
  clientAddress(peer, () => forwarded ?? null, trusted)

describe('clientAddress', () => {
  it('is the peer when no proxy is trusted, whatever X-Forwarded-For says (and never reads it)', () => {
    let read = false
    const peer = clientAddress('203.0.113.7', () => {
      read = true
      return '198.51.100.1'
    }, [])
    expect(peer).toBe('203.0.113.7')
    expect(read).toBe(false)
  })

  it('is the peer when the peer is not a trusted proxy: a client cannot name itself', () => {
    expect(client('203.0.113.7', '198.51.100.1')).toBe('203.0.113.7')
    expect(client('11.0.0.1', '198.51.100.1')).toBe('11.0.0.1')
  })

  it('behind a trusted proxy, is the address it forwarded', () => {
    expect(client('10.1.2.3', '198.51.100.1')).toBe('198.51.100.1')
    expect(client('::ffff:10.1.2.3', '198.51.100.1')).toBe('198.51.100.1')
    expect(client('fd00::1', '2001:db8::42')).toBe('2001:db8::42')
  })

  it('ignores the entries a client wrote to the left of the address its proxy saw', () => {
    expect(client('10.1.2.3', '1.1.1.1, 6.6.6.6, 198.51.100.1')).toBe('198.51.100.1')
    expect(client('10.1.2.3', 'not-an-ip, 198.51.100.1')).toBe('198.51.100.1')
    // A spoofed entry claiming to be a trusted proxy does not move the client past the first untrusted one.
    expect(client('10.1.2.3', '10.9.9.9, 198.51.100.1')).toBe('198.51.100.1')
  })

  it('walks a chain of trusted hops to the first untrusted address from the right', () => {
    expect(client('10.0.0.1', '6.6.6.6, 198.51.100.1, 192.168.1.5, 10.0.0.2')).toBe('198.51.100.1')
    // Several X-Forwarded-For lines arrive joined with commas, in order.
    expect(client('10.0.0.1', '198.51.100.1, 10.0.0.3,10.0.0.2')).toBe('198.51.100.1')
  })

  it('is the left-most hop when every entry is trusted, the peer when there is none', () => {
    expect(client('10.0.0.1', '10.0.0.3, 10.0.0.2')).toBe('10.0.0.3')
    expect(client('10.0.0.1')).toBe('10.0.0.1')
  })

  it('stops at the hop that handed over a malformed entry, never reading past it', () => {
    expect(client('10.0.0.1', '198.51.100.1, garbage')).toBe('10.0.0.1')
    expect(client('10.0.0.1', '198.51.100.1, bogus, 10.0.0.2')).toBe('10.0.0.2')
    expect(client('10.0.0.1', '198.51.100.1, ')).toBe('10.0.0.1')
    expect(client('10.0.0.1', '')).toBe('10.0.0.1')
    for (const junk of [
      '1.2.3',
      '1.2.3.4.5',
      '256.1.1.1',
      '01.2.3.4',
      '1.2.3.4/32',
      'fe80::1%eth0',
      '1::2::3',
      'unknown',
    ]) {
      expect(client('10.0.0.1', `198.51.100.1, ${junk}`), junk).toBe('10.0.0.1')
    }
  })

  it('reads entries with a port and IPv4-mapped IPv6 entries as the address', () => {
    expect(client('10.0.0.1', '198.51.100.1:51234')).toBe('198.51.100.1')
    expect(client('10.0.0.1', '[2001:db8::42]:443')).toBe('2001:db8::42')
    expect(client('10.0.0.1', '[2001:db8::42]')).toBe('2001:db8::42')
    expect(client('10.0.0.1', '::ffff:198.51.100.1')).toBe('198.51.100.1')
    // A mapped entry inside a trusted range is trusted like its IPv4 form.
    expect(client('10.0.0.1', '198.51.100.1, ::ffff:10.0.0.9')).toBe('198.51.100.1')
  })

  it('keeps the families apart: an IPv4 range never trusts an IPv6 peer', () => {
    expect(client('::a00:1', '198.51.100.1', proxies('10.0.0.0/8'))).toBe('::a00:1')
  })
})

describe('parseTrustedProxies', () => {
  it('takes addresses and CIDR ranges of both families, separated by commas or spaces; empty is none', () => {
    expect(parseTrustedProxies(undefined)).toEqual({ proxies: [], problems: [] })
    expect(parseTrustedProxies(' , ')).toEqual({ proxies: [], problems: [] })
    const all = proxies('0.0.0.0/0')
    expect(client('10.0.0.1', '198.51.100.1', all)).toBe('198.51.100.1')
    const one = proxies('2001:db8::1')
    expect(client('2001:db8::1', '198.51.100.1', one)).toBe('198.51.100.1')
    expect(client('2001:db8::2', '198.51.100.1', one)).toBe('2001:db8::2')
    const v6 = proxies('2001:db8:1::/48,::1/128')
    expect(client('2001:db8:1:ffff::9', '198.51.100.1', v6)).toBe('198.51.100.1')
    expect(client('2001:db8:2::9', '198.51.100.1', v6)).toBe('2001:db8:2::9')
  })

  it('names the first bad entry, as a config error does', () => {
    const problem = (setting: string) => parseTrustedProxies(setting).problems
    expect(problem('10.0.0.0/8, nginx')).toEqual([
      'TRUSTED_PROXIES: "nginx" is not an IP address or a CIDR range like 10.0.0.0/8 or fd00::/8',
    ])
    for (const bad of ['10.0.0.0/33', 'fd00::/129', '10.0.0.0/', '10.0.0.0/-1', '10.0.0.0/8/8', '/8', '10.0.0.0/x']) {
      expect(problem(bad), bad).toEqual([
        `TRUSTED_PROXIES: "${bad}" is not an IP address or a CIDR range like 10.0.0.0/8 or fd00::/8`,
      ])
    }
    expect(problem('10.0.0.1/8')).toEqual([
      'TRUSTED_PROXIES: "10.0.0.1/8": the address bits past /8 must be zero (a range starts at its network address)',
    ])
    expect(parseTrustedProxies('10.0.0.1/8').proxies).toEqual([])
  })
})

describe('parseAddress', () => {
  it.each([
    ['127.0.0.1', false, 0x7f000001n],
    ['::', true, 0n],
    ['::1', true, 1n],
    ['1::', true, 1n << 112n],
    ['2001:DB8::1', true, (0x20010db8n << 96n) | 1n],
    ['1:2:3:4:5:6:7:8', true, 0x00010002000300040005000600070008n],
    ['64:ff9b::192.0.2.1', true, (0x64ff9bn << 96n) | 0xc0000201n],
    ['::ffff:192.0.2.1', false, 0xc0000201n],
  ])('reads %s', (text, v6, value) => {
    expect(parseAddress(text)).toMatchObject({ v6, value })
  })

  it.each([
    '',
    ':',
    ':::',
    '1:2:3:4:5:6:7',
    '1:2:3:4:5:6:7:8:9',
    '1::2:3:4:5:6:7:8',
    '12345::',
    '::1.2.3',
    'g::1',
    '1.2.3.4::',
  ])('refuses %j', (text) => {
    expect(parseAddress(text)).toBeUndefined()
  })
})
