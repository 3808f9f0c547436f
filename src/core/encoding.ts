/** Byte encodings several layers need, on Web Crypto and `atob` (Workers, Node, Bun, Deno alike). */

/** The first `bytes` bytes of SHA-256(`text`), as lowercase hex (16 bytes → 32 characters). */
export async function sha256Hex(text: string, bytes = 16): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)))
  return [...digest.subarray(0, bytes)].map((b) => b.toString(16).padStart(2, '0')).join('')
}

/** Standard base64 (not base64url) to bytes; throws on invalid input, like `atob`. */
export const base64ToBytes = (base64: string): Uint8Array<ArrayBuffer> =>
  Uint8Array.from(atob(base64), (ch) => ch.charCodeAt(0))

/** Bytes to standard base64 (chunked: `String.fromCharCode` over a large buffer would exceed the argument limit). */
export function bytesToBase64(bytes: Uint8Array): string {
  let binary = ''
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000))
  return btoa(binary)
}
