/** The magic-byte sniffer and fba's extension rules (src/domains/files/sniff.ts, rules.ts). */
import { describe, expect, it } from 'vitest'
import { extensionOf, ruleFor } from '../../../src/domains/files/rules'
import { displayName } from '../../../src/domains/files/service'
import { sniff } from '../../../src/domains/files/sniff'
import { SAMPLE_TYPES, SAMPLES } from './samples'

const text = (s: string) => new TextEncoder().encode(s)

describe('sniff', () => {
  it.each(Object.entries(SAMPLES))('knows %s by its bytes', (ext, head) => {
    expect(sniff(head)).toBe(SAMPLE_TYPES[ext as keyof typeof SAMPLES])
  })

  it('knows a QuickTime file without ftyp by its first atom', () => {
    expect(sniff(new Uint8Array([0, 0, 0, 8, ...text('moov')]))).toBe('video/quicktime')
  })

  it.each([
    ['HTML', text('<!doctype html><script>alert(1)</script>')],
    ['SVG', text('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>')],
    ['a WAV (RIFF, not WebP or AVI)', text('RIFF\u0000\u0001\u0000\u0000WAVEfmt ')],
    ['a PNG signature cut short', new Uint8Array([0x89, 0x50, 0x4e, 0x47])],
    ['nothing', new Uint8Array()],
  ])('refuses %s', (_, head) => {
    expect(sniff(head)).toBeUndefined()
  })
})

describe('rules', () => {
  it("takes fba's extension: after the last dot, lower-cased", () => {
    expect(extensionOf('a.b.PNG')).toBe('png')
    expect(extensionOf('noext')).toBe('noext')
    expect(ruleFor('constructor')).toBeUndefined()
    expect(ruleFor('svg')).toBeUndefined()
    expect(ruleFor('jpeg')?.kind).toBe('image')
    expect(ruleFor('flv')?.kind).toBe('video')
  })

  it('keeps only the last segment of a path-like name, without control characters', () => {
    expect(displayName('../../etc/passwd.png')).toBe('passwd.png')
    expect(displayName('C:\\Users\\me\\cat.png')).toBe('cat.png')
    expect(displayName('a\r\nb.png')).toBe('ab.png')
    expect(displayName('dir/')).toBe('file')
  })
})
