/** The STORE-only ZIP writer behind plugin downloads. */
import { describe, expect, it } from 'vitest'
import { crc32, createZip } from '../../src/plugins/zip'
import { readZip } from './helpers'

const bytes = (text: string) => new TextEncoder().encode(text)

describe('crc32', () => {
  it('matches the standard check values', () => {
    expect(crc32(bytes('123456789'))).toBe(0xcbf43926)
    expect(crc32(bytes(''))).toBe(0)
    expect(crc32(bytes('The quick brown fox jumps over the lazy dog'))).toBe(0x414fa339)
  })
})

describe('createZip', () => {
  it('writes an empty archive as a lone end record', () => {
    const zip = createZip([])
    expect(zip).toHaveLength(22)
    expect(readZip(zip)).toEqual([])
  })

  it('stores each entry with its name (UTF-8), size and CRC, readable back in order', () => {
    const entries = [
      { name: 'demo/README.md', data: '# Demo\n' },
      { name: 'demo/通知.txt', data: '你好😄' },
      { name: 'demo/raw.bin', data: new Uint8Array([0, 1, 2, 255]) },
    ]
    const files = readZip(createZip(entries, new Date(Date.UTC(2026, 4, 16, 12, 30, 44))))
    expect(files.map((f) => f.name)).toEqual(entries.map((e) => e.name))
    expect(new TextDecoder().decode(files[1]?.data)).toBe('你好😄')
    expect([...(files[2]?.data ?? [])]).toEqual([0, 1, 2, 255])
    for (const f of files) {
      expect(f.method).toBe(0)
      expect(f.crc).toBe(crc32(f.data))
    }
  })

  it('encodes the modification time as MS-DOS date/time words', () => {
    const zip = createZip([{ name: 'a', data: 'x' }], new Date(Date.UTC(2026, 4, 16, 12, 30, 44)))
    const view = new DataView(zip.buffer)
    expect(view.getUint16(10, true)).toBe((12 << 11) | (30 << 5) | 22)
    expect(view.getUint16(12, true)).toBe(((2026 - 1980) << 9) | (5 << 5) | 16)
  })
})
