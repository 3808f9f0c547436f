/** The ZIP writer behind downloads (plugins, generated code): fflate, DEFLATE, UTF-8 names, one timestamp. */
import { describe, expect, it } from 'vitest'
import { createZip } from '../../src/plugins/zip'
import { readZip } from './helpers'

/** The central directory's entries: name, method and DOS time/date words (APPNOTE.TXT 4.3.12). */
function centralEntries(zip: Uint8Array) {
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength)
  const end = zip.length - 22
  const entries: { name: string; method: number; time: number; date: number }[] = []
  let at = view.getUint32(end + 16, true)
  for (let i = 0; i < view.getUint16(end + 10, true); i++) {
    const nameLength = view.getUint16(at + 28, true)
    entries.push({
      name: new TextDecoder().decode(zip.subarray(at + 46, at + 46 + nameLength)),
      method: view.getUint16(at + 10, true),
      time: view.getUint16(at + 12, true),
      date: view.getUint16(at + 14, true),
    })
    at += 46 + nameLength + view.getUint16(at + 30, true) + view.getUint16(at + 32, true)
  }
  return entries
}

describe('createZip', () => {
  it('writes an empty archive', async () => {
    expect(readZip(await createZip([]))).toEqual([])
  })

  it('stores each entry with its UTF-8 name, readable back in order with its bytes', async () => {
    const entries = [
      { name: 'demo/README.md', data: '# Demo\n'.repeat(50) },
      { name: 'demo/通知.txt', data: '你好😄' },
      { name: 'demo/raw.bin', data: new Uint8Array([0, 1, 2, 255]) },
    ]
    const zip = await createZip(entries)
    const files = readZip(zip)
    expect(files.map((f) => f.name)).toEqual(entries.map((e) => e.name))
    expect(new TextDecoder().decode(files[0]?.data)).toBe('# Demo\n'.repeat(50))
    expect(new TextDecoder().decode(files[1]?.data)).toBe('你好😄')
    expect([...(files[2]?.data ?? [])]).toEqual([0, 1, 2, 255])
    // Text compresses: the repeated README is deflated (method 8).
    expect(centralEntries(zip)[0]?.method).toBe(8)
  })

  it('dates every entry with the modification time (MS-DOS date/time words)', async () => {
    const zip = await createZip([{ name: 'a', data: 'x' }], new Date(2026, 4, 16, 12, 30, 44))
    expect(centralEntries(zip)[0]).toMatchObject({
      time: (12 << 11) | (30 << 5) | 22,
      date: ((2026 - 1980) << 9) | (5 << 5) | 16,
    })
  })
})
