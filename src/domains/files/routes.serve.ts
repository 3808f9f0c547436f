/**
 * `GET /static/upload/<key>`: the stored files, where fba serves its uploads. Public like fba's static mount (an
 * `<img src>` sends no bearer token); the keys are random, 128 bits, and only keys of the server's own shape are
 * looked up (service.ts `STORED_KEY`), so a name can never reach another path.
 *
 * Safe headers whatever the bytes: the type found by sniffing at upload (only raster images and videos are ever
 * stored), `nosniff`, `Content-Disposition` with the uploaded name, and a CSP `sandbox` with no sources, so even a file
 * a browser would render as a document could run nothing. `Cross-Origin-Resource-Policy: cross-origin`: the admin UI
 * may run on another origin and shows avatars from here. Keys are never reused, so files are cached for a year. One
 * byte range per request is served as a 206 (video players seek with them).
 */
import { Hono } from 'hono'
import { NotFoundError } from '../../core/errors'
import type { AppEnv } from '../../http/context'
import { storageOf } from '../../http/storage'
import { STORED_KEY, UPLOAD_URL_PREFIX } from './service'

/** `inline` (shown in the browser) with an ASCII fallback name and the uploaded name, percent-encoded (RFC 6266). */
export function contentDisposition(key: string, name: string): string {
  return `inline; filename="${key}"; filename*=UTF-8''${encodeURIComponent(name)}`
}

export function fileServeRoutes() {
  return new Hono<AppEnv>().get(`${UPLOAD_URL_PREFIX}:key`, async (c) => {
    const key = c.req.param('key')
    if (!STORED_KEY.test(key)) throw new NotFoundError('file.not_found')
    const file = await storageOf(c).get(key, c.req.header('range'))
    if (!file) throw new NotFoundError('file.not_found')
    const { offset, length } = file.range
    // A range (a video player seeking) is a 206 with the part; anything else the whole file.
    const partial = length < file.size
    return c.get('responseHeaders').build(file.body, partial ? 206 : 200, file.contentType, {
      'content-length': String(length),
      ...(partial ? { 'content-range': `bytes ${offset}-${offset + length - 1}/${file.size}` } : {}),
      'accept-ranges': 'bytes',
      'content-disposition': contentDisposition(key, file.name),
      'x-content-type-options': 'nosniff',
      'content-security-policy': "default-src 'none'; sandbox",
      'cross-origin-resource-policy': 'cross-origin',
      'cache-control': 'public, max-age=31536000, immutable',
    })
  })
}
