/**
 * Image captchas drawn inside a Worker, which has no canvas: characters come from a built-in 5×7 bitmap font, are
 * scaled, sheared, jittered and coloured one by one, then noise lines and dots go over the lot. The pixels are
 * encoded as an 8-bit RGB PNG by hand (the zlib stream comes from the native CompressionStream). The admin UI shows
 * the result as `data:image/png;base64,<image>`.
 */
import { bytesToBase64 } from '../../core/encoding'

/**
 * No 0/O, 1/I/L: characters people confuse on a noisy image. No E: `@upstash/redis` reads a stored value that parses
 * as JSON as that value, and a code like `2E34` would come back as the number 2e34, never to be solved.
 */
export const CAPTCHA_ALPHABET = 'ABCDFGHJKMNPQRSTUVWXYZ23456789'

export interface CaptchaImageOptions {
  width?: number
  height?: number
}

/** One 5×7 glyph per alphabet character: seven rows as hex bytes, bit 4 the leftmost pixel. */
const FONT: Record<string, string> = {
  A: '0e1111111f1111',
  B: '1e11111e11111e',
  C: '0e11101010110e',
  D: '1c12111111121c',
  F: '1f10101e101010',
  G: '0e11101711110f',
  H: '1111111f111111',
  J: '0702020202120c',
  K: '11121418141211',
  M: '111b1515111111',
  N: '11111915131111',
  P: '1e11111e101010',
  Q: '0e11111115120d',
  R: '1e11111e141211',
  S: '0f10100e01011e',
  T: '1f040404040404',
  U: '1111111111110e',
  V: '11111111110a04',
  W: '1111111515150a',
  X: '11110a040a1111',
  Y: '1111110a040404',
  Z: '1f01020408101f',
  '2': '0e11010204081f',
  '3': '1f02040201110e',
  '4': '02060a121f0202',
  '5': '1f101e0101110e',
  '6': '0608101e11110e',
  '7': '1f010204080808',
  '8': '0e11110e11110e',
  '9': '0e11110f01020c',
}

const GLYPH_WIDTH = 5
const GLYPH_HEIGHT = 7
const MAX_SCALE = 4
const BYTES_PER_PIXEL = 3

export function randomCaptchaCode(length = 4): string {
  if (!Number.isSafeInteger(length) || length < 1 || length > 32) throw new RangeError(`Bad captcha length ${length}`)
  // Bytes at or above the largest multiple of the alphabet size are dropped so every character is equally likely.
  const limit = 256 - (256 % CAPTCHA_ALPHABET.length)
  let code = ''
  while (code.length < length) {
    for (const byte of crypto.getRandomValues(new Uint8Array(length * 2))) {
      if (byte < limit && code.length < length) code += CAPTCHA_ALPHABET[byte % CAPTCHA_ALPHABET.length]
    }
  }
  return code
}

/** Base64 of the PNG, without the `data:` prefix. Lower-case letters are drawn as their capitals. */
export async function renderCaptchaPng(code: string, options: CaptchaImageOptions = {}): Promise<string> {
  const width = options.width ?? 120
  const height = options.height ?? 40
  for (const size of [width, height]) {
    if (!Number.isSafeInteger(size) || size < 8 || size > 1024) throw new RangeError(`Bad captcha image size ${size}`)
  }
  const glyphs = [...code.toUpperCase()].map((char) => {
    const glyph = FONT[char]
    // A character drawn as nothing would make the captcha unsolvable; fail loudly instead.
    if (!glyph) throw new RangeError(`No captcha glyph for ${JSON.stringify(char)}`)
    return glyph
  })
  const image = new Canvas(width, height)
  drawBackground(image)
  drawNoiseLines(image, 2)
  drawText(image, glyphs)
  drawNoiseLines(image, 2)
  drawNoiseDots(image, Math.round((width * height) / 30))
  return bytesToBase64(await encodePng(image))
}

/** RGB pixels stored directly as PNG scanlines: a filter byte (0, none) then the row's pixels. */
class Canvas {
  readonly rowBytes: number
  readonly data: Uint8Array<ArrayBuffer>
  constructor(
    readonly width: number,
    readonly height: number,
  ) {
    this.rowBytes = 1 + width * BYTES_PER_PIXEL
    this.data = new Uint8Array(height * this.rowBytes)
  }

  set(x: number, y: number, [r, g, b]: Rgb): void {
    if (x < 0 || y < 0 || x >= this.width || y >= this.height) return
    const at = y * this.rowBytes + 1 + x * BYTES_PER_PIXEL
    this.data[at] = r
    this.data[at + 1] = g
    this.data[at + 2] = b
  }
}

type Rgb = [number, number, number]

/** Crypto-random numbers in [0, 1), drawn from a buffer so one image costs one or two getRandomValues calls. */
const random = (() => {
  const pool = new Uint32Array(1024)
  let next = pool.length
  return (): number => {
    if (next === pool.length) {
      crypto.getRandomValues(pool)
      next = 0
    }
    return pool[next++]! / 2 ** 32
  }
})()

const between = (min: number, max: number): number => min + Math.floor(random() * (max - min + 1))
const colour = (min: number, max: number): Rgb => [between(min, max), between(min, max), between(min, max)]

/** A light tint with per-pixel speckle, so text and background aren't two flat colours a threshold separates. */
function drawBackground(image: Canvas): void {
  const [r, g, b] = colour(215, 245)
  for (let y = 0; y < image.height; y++) {
    for (let x = 0; x < image.width; x++) {
      const speckle = between(-10, 10)
      image.set(x, y, [r + speckle, g + speckle, b + speckle])
    }
  }
}

function drawText(image: Canvas, glyphs: string[]): void {
  const slot = image.width / glyphs.length
  const scale = Math.max(
    1,
    Math.min(MAX_SCALE, Math.floor(slot / (GLYPH_WIDTH + 2)), Math.floor((image.height - 4) / GLYPH_HEIGHT)),
  )
  const glyphWidth = GLYPH_WIDTH * scale
  const glyphHeight = GLYPH_HEIGHT * scale
  glyphs.forEach((glyph, index) => {
    // Shear: each pixel row slides sideways in proportion to its distance from the glyph's middle.
    const shear = (random() - 0.5) * 0.4
    const slack = Math.max(0, Math.floor((slot - glyphWidth) / 2) - 1)
    // Kept clear of the edges so jitter and shear never cut a character off.
    const margin = Math.ceil((Math.abs(shear) * glyphHeight) / 2)
    const jittered = Math.round(index * slot + (slot - glyphWidth) / 2) + between(-slack, slack)
    const left = Math.min(Math.max(jittered, margin), image.width - glyphWidth - margin)
    const top = between(1, Math.max(1, image.height - glyphHeight - 1))
    const ink = colour(0, 110)
    for (let row = 0; row < GLYPH_HEIGHT; row++) {
      const bits = Number.parseInt(glyph.slice(row * 2, row * 2 + 2), 16)
      for (let col = 0; col < GLYPH_WIDTH; col++) {
        if (!(bits & (1 << (GLYPH_WIDTH - 1 - col)))) continue
        for (let dy = 0; dy < scale; dy++) {
          const y = row * scale + dy
          const slide = Math.round(shear * (y - glyphHeight / 2))
          for (let dx = 0; dx < scale; dx++) image.set(left + col * scale + dx + slide, top + y, ink)
        }
      }
    }
  })
}

/** Lines from the left edge to the right one, so they cross the characters (Bresenham). */
function drawNoiseLines(image: Canvas, count: number): void {
  for (let i = 0; i < count; i++) {
    const ink = colour(60, 180)
    let x0 = 0
    let y0 = between(0, image.height - 1)
    const x1 = image.width - 1
    const y1 = between(0, image.height - 1)
    const dx = x1 - x0
    const dy = -Math.abs(y1 - y0)
    const stepY = y0 < y1 ? 1 : -1
    let error = dx + dy
    for (;;) {
      image.set(x0, y0, ink)
      if (x0 === x1 && y0 === y1) break
      const doubled = 2 * error
      if (doubled >= dy) {
        error += dy
        x0++
      }
      if (doubled <= dx) {
        error += dx
        y0 += stepY
      }
    }
  }
}

function drawNoiseDots(image: Canvas, count: number): void {
  for (let i = 0; i < count; i++) {
    image.set(between(0, image.width - 1), between(0, image.height - 1), colour(0, 255))
  }
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]
const COLOUR_TYPE_RGB = 2

async function encodePng(image: Canvas): Promise<Uint8Array> {
  const header = new Uint8Array(13)
  const view = new DataView(header.buffer)
  view.setUint32(0, image.width)
  view.setUint32(4, image.height)
  header.set([8, COLOUR_TYPE_RGB, 0, 0, 0], 8) // bit depth, colour type, deflate, adaptive filters, no interlace
  // CompressionStream's 'deflate' is the zlib format (header + Adler-32) that IDAT requires, not raw deflate.
  const stream = new Blob([image.data]).stream().pipeThrough(new CompressionStream('deflate'))
  const compressed = new Uint8Array(await new Response(stream).arrayBuffer())
  const parts = [
    Uint8Array.from(PNG_SIGNATURE),
    chunk('IHDR', header),
    chunk('IDAT', compressed),
    chunk('IEND', new Uint8Array(0)),
  ]
  const png = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0))
  let offset = 0
  for (const part of parts) {
    png.set(part, offset)
    offset += part.length
  }
  return png
}

/** length, type, data, then the CRC-32 of type and data. */
function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length)
  const view = new DataView(out.buffer)
  view.setUint32(0, data.length)
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i)
  out.set(data, 8)
  view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)))
  return out
}

const CRC_TABLE = (() => {
  const table = new Uint32Array(256)
  for (let n = 0; n < 256; n++) {
    let c = n
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
    table[n] = c >>> 0
  }
  return table
})()

function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff
  for (const byte of bytes) crc = CRC_TABLE[(crc ^ byte) & 0xff]! ^ (crc >>> 8)
  return (crc ^ 0xffffffff) >>> 0
}
