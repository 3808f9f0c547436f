import { describe, expect, it } from 'vitest'
import { CAPTCHA_ALPHABET, randomCaptchaCode, renderCaptchaPng } from '../../../src/domains/auth/captcha-image'

interface Chunk {
  type: string
  data: Uint8Array
  crcOk: boolean
}

// Bit-by-bit CRC-32, deliberately not the table version the encoder uses.
function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff
  for (const byte of bytes) {
    crc ^= byte
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1
  }
  return (crc ^ 0xffffffff) >>> 0
}

function decodeBase64(text: string): Uint8Array {
  return Uint8Array.from(atob(text), (char) => char.charCodeAt(0))
}

function readChunks(png: Uint8Array): Chunk[] {
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength)
  const chunks: Chunk[] = []
  let at = 8
  while (at < png.length) {
    const length = view.getUint32(at)
    const typeAndData = png.subarray(at + 4, at + 8 + length)
    const type = String.fromCharCode(...typeAndData.subarray(0, 4))
    const crcOk = view.getUint32(at + 8 + length) === crc32(typeAndData)
    chunks.push({ type, data: typeAndData.subarray(4), crcOk })
    at += 12 + length
  }
  return chunks
}

async function inflate(data: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([data]).stream().pipeThrough(new DecompressionStream('deflate'))
  return new Uint8Array(await new Response(stream).arrayBuffer())
}

interface DecodedImage {
  width: number
  height: number
  bitDepth: number
  colourType: number
  scanlines: Uint8Array
}

async function decodePng(base64: string): Promise<DecodedImage> {
  const png = decodeBase64(base64)
  expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])
  const chunks = readChunks(png)
  expect(chunks.map((c) => c.type)[0]).toBe('IHDR')
  expect(chunks.at(-1)?.type).toBe('IEND')
  for (const chunk of chunks) expect(chunk.crcOk, `${chunk.type} CRC`).toBe(true)
  const header = new DataView(chunks[0]!.data.buffer, chunks[0]!.data.byteOffset, 13)
  const idat = chunks.filter((c) => c.type === 'IDAT').map((c) => c.data)
  const joined = new Uint8Array(idat.reduce((sum, part) => sum + part.length, 0))
  let offset = 0
  for (const part of idat) {
    joined.set(part, offset)
    offset += part.length
  }
  return {
    width: header.getUint32(0),
    height: header.getUint32(4),
    bitDepth: header.getUint8(8),
    colourType: header.getUint8(9),
    scanlines: await inflate(joined),
  }
}

/** The encoder writes filter 0 (none) on every row, so the scanline bytes after each filter byte are the pixels. */
function pixels(image: DecodedImage): string[] {
  const rowBytes = 1 + image.width * 3
  const out: string[] = []
  for (let y = 0; y < image.height; y++) {
    expect(image.scanlines[y * rowBytes]).toBe(0)
    for (let x = 0; x < image.width; x++) {
      const at = y * rowBytes + 1 + x * 3
      out.push(image.scanlines.subarray(at, at + 3).join(','))
    }
  }
  return out
}

describe('captcha codes', () => {
  it('are 4 characters from the unambiguous alphabet by default', () => {
    for (let i = 0; i < 200; i++) expect(randomCaptchaCode()).toMatch(/^[ABCDFGHJKMNPQRSTUVWXYZ2-9]{4}$/)
    expect(CAPTCHA_ALPHABET).not.toMatch(/[01IOL]/)
    // `2E34` would be read back from Redis as a number (the SDK parses stored JSON).
    expect(CAPTCHA_ALPHABET).not.toContain('E')
  })

  it('honour the length and use the whole alphabet', () => {
    expect(randomCaptchaCode(6)).toHaveLength(6)
    const seen = new Set(Array.from({ length: 100 }, () => randomCaptchaCode(20)).join(''))
    expect(seen).toEqual(new Set(CAPTCHA_ALPHABET))
  })

  it('reject a silly length', () => {
    expect(() => randomCaptchaCode(0)).toThrow(RangeError)
    expect(() => randomCaptchaCode(33)).toThrow(RangeError)
  })
})

describe('captcha image', () => {
  it('is a valid 120×40 8-bit RGB PNG with the right amount of pixel data', async () => {
    const image = await decodePng(await renderCaptchaPng('AB23'))
    expect(image).toMatchObject({ width: 120, height: 40, bitDepth: 8, colourType: 2 })
    expect(image.scanlines.length).toBe(40 * (1 + 120 * 3))
  })

  it('honours a custom size', async () => {
    const image = await decodePng(await renderCaptchaPng('XYZ9', { width: 160, height: 50 }))
    expect(image).toMatchObject({ width: 160, height: 50 })
    expect(image.scanlines.length).toBe(50 * (1 + 160 * 3))
  })

  it('has no data: prefix (the UI adds it)', async () => {
    const base64 = await renderCaptchaPng('ABCD')
    expect(base64).toMatch(/^iVBORw0KGgo[A-Za-z0-9+/]+=*$/)
  })

  it('differs between two renders of the same code', async () => {
    expect(await renderCaptchaPng('MNPQ')).not.toBe(await renderCaptchaPng('MNPQ'))
  })

  it('is not one flat colour, and has dark ink on it', async () => {
    const colours = pixels(await decodePng(await renderCaptchaPng('RSTU')))
    expect(new Set(colours).size).toBeGreaterThan(20)
    const dark = colours.filter((rgb) => rgb.split(',').every((channel) => Number(channel) <= 110))
    // Four 5×7 glyphs at scale 4 have well over 100 lit pixels, whatever the noise covers.
    expect(dark.length).toBeGreaterThan(100)
  })

  it('draws every character of the alphabet, lower case as capitals', async () => {
    for (let i = 0; i < CAPTCHA_ALPHABET.length; i += 4) {
      await expect(renderCaptchaPng(CAPTCHA_ALPHABET.slice(i, i + 4))).resolves.toBeTruthy()
    }
    await expect(renderCaptchaPng('abcd')).resolves.toBeTruthy()
  })

  it('refuses characters it has no glyph for rather than drawing a blank', async () => {
    await expect(renderCaptchaPng('AB0D')).rejects.toThrow(RangeError)
    await expect(renderCaptchaPng('AB D')).rejects.toThrow(RangeError)
  })
})
