/** Small files of every type the upload takes: each is its format's signature and then filler bytes. */

const bytes = (...parts: (readonly number[] | string)[]): Uint8Array => {
  const out: number[] = []
  for (const part of parts) {
    if (typeof part === 'string') for (const ch of part) out.push(ch.charCodeAt(0))
    else out.push(...part)
  }
  // Filler after the signature, every byte value once, so a served copy that mangles any byte is caught.
  for (let i = 0; i < 256; i++) out.push(i)
  return new Uint8Array(out)
}

export const SAMPLES = {
  png: bytes([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  jpg: bytes([0xff, 0xd8, 0xff, 0xe0]),
  gif: bytes('GIF89a'),
  webp: bytes('RIFF', [0, 1, 0, 0], 'WEBPVP8 '),
  mp4: bytes([0, 0, 0, 0x18], 'ftypisom'),
  mov: bytes([0, 0, 0, 0x14], 'ftypqt  '),
  avi: bytes('RIFF', [0, 1, 0, 0], 'AVI LIST'),
  flv: bytes('FLV', [0x01, 0x05]),
} as const

/** The media type each sample is served with. */
export const SAMPLE_TYPES: Record<keyof typeof SAMPLES, string> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  mp4: 'video/mp4',
  mov: 'video/quicktime',
  avi: 'video/x-msvideo',
  flv: 'video/x-flv',
}

/** `size` bytes that start as a PNG (the rest zeros). */
export function pngOfSize(size: number): Uint8Array {
  const out = new Uint8Array(size)
  out.set(SAMPLES.png.subarray(0, 8))
  return out
}

/** `size` bytes that start as an MP4. */
export function mp4OfSize(size: number): Uint8Array {
  const out = new Uint8Array(size)
  out.set(SAMPLES.mp4.subarray(0, 12))
  return out
}
