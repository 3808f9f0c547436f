/**
 * Checks an upload against fba's rules and stores it under a key the server chooses: a random id and the checked
 * extension, nothing of the client's name (which is kept only as metadata, for `Content-Disposition`). Order of the
 * checks as fba's: format by extension, then size; then, beyond fba, the bytes must be what the extension claims.
 */
import { BadRequestError } from '../../core/errors'
import type { FileStorage } from '../../infra/storage'
import { ALLOWED_EXTENSIONS, extensionOf, MAX_BYTES, ruleFor } from './rules'
import { SNIFF_BYTES, sniff } from './sniff'

/** Where stored files are served (fba's `/static/upload/<file>`): `routes.serve.ts`. */
export const UPLOAD_URL_PREFIX = '/static/upload/'

/** A stored key: 32 hex digits and an allowed extension (./rules.ts); nothing else is ever looked up. */
export const STORED_KEY = new RegExp(`^[0-9a-f]{32}\\.(?:${ALLOWED_EXTENSIONS.join('|')})$`)

/** The client's name reduced to its last path segment, without control characters, at most 255 characters. */
export function displayName(name: string): string {
  const last = name.split(/[\\/]/).pop() ?? ''
  // biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point
  const clean = last.replace(/[\u0000-\u001f\u007f]/g, '').slice(0, 255)
  return clean || 'file'
}

export async function storeUpload(storage: FileStorage, file: File): Promise<{ url: string }> {
  const ext = extensionOf(file.name)
  const rule = ruleFor(ext)
  if (!rule) throw new BadRequestError('file.format_unsupported', { params: { ext } })
  if (file.size > MAX_BYTES[rule.kind])
    throw new BadRequestError(rule.kind === 'image' ? 'file.image_too_large' : 'file.video_too_large')
  const type = sniff(new Uint8Array(await file.slice(0, SNIFF_BYTES).arrayBuffer()))
  if (!type || !rule.types.includes(type)) throw new BadRequestError('file.content_mismatch', { params: { ext } })
  const key = `${crypto.randomUUID().replaceAll('-', '')}.${ext}`
  await storage.put(key, await file.arrayBuffer(), { contentType: type, name: displayName(file.name) })
  return { url: `${UPLOAD_URL_PREFIX}${key}` }
}
