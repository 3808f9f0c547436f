/**
 * What a file really is, from its first bytes (its "magic numbers"), for the types fba's upload accepts. The name's
 * extension only says what the client claims; a `.png` holding HTML is refused because no PNG signature is there.
 * Pure and small on purpose: nine signatures do not need a library in the Worker bundle.
 */

/** A sniffed type: the media type the file is served with. */
export type SniffedType =
  | 'image/jpeg'
  | 'image/png'
  | 'image/gif'
  | 'image/webp'
  | 'video/mp4'
  | 'video/quicktime'
  | 'video/x-msvideo'
  | 'video/x-flv'

/** How many leading bytes `sniff` reads at most. */
export const SNIFF_BYTES = 16

const ascii = (bytes: Uint8Array, at: number, text: string): boolean => {
  if (bytes.length < at + text.length) return false
  for (let i = 0; i < text.length; i++) if (bytes[at + i] !== text.charCodeAt(i)) return false
  return true
}

const startsWith = (bytes: Uint8Array, signature: readonly number[]): boolean =>
  bytes.length >= signature.length && signature.every((b, i) => bytes[i] === b)

const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] as const
const JPEG = [0xff, 0xd8, 0xff] as const
/** Top-level atoms a QuickTime file may open with when it has no `ftyp` (files from older cameras). */
const QUICKTIME_ATOMS = ['moov', 'mdat', 'wide', 'free', 'skip', 'pnot'] as const

/** The type of a file by its leading bytes, or undefined for anything fba's upload does not take. */
export function sniff(head: Uint8Array): SniffedType | undefined {
  if (startsWith(head, PNG)) return 'image/png'
  if (startsWith(head, JPEG)) return 'image/jpeg'
  if (ascii(head, 0, 'GIF87a') || ascii(head, 0, 'GIF89a')) return 'image/gif'
  if (ascii(head, 0, 'RIFF')) {
    if (ascii(head, 8, 'WEBP')) return 'image/webp'
    if (ascii(head, 8, 'AVI ')) return 'video/x-msvideo'
    return undefined
  }
  if (ascii(head, 0, 'FLV') && head[3] === 0x01) return 'video/x-flv'
  // ISO base media (MP4) and QuickTime: a box size, then `ftyp` and the major brand (`qt  ` for QuickTime).
  if (ascii(head, 4, 'ftyp')) return ascii(head, 8, 'qt  ') ? 'video/quicktime' : 'video/mp4'
  if (QUICKTIME_ATOMS.some((atom) => ascii(head, 4, atom))) return 'video/quicktime'
  return undefined
}
