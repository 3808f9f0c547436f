/**
 * The ceiling of the workerd bench: bare Hono answering a JSON envelope, bundled and served like the app. `/pbkdf2`
 * runs what a login's password check costs (PBKDF2-SHA256, 100 000 iterations, as src/domains/auth/password.ts), so
 * the bench can tell a login's hashing from the rest of its CPU.
 */
import { Hono } from 'hono'

const envelope = { code: 200, msg: 'ok', data: { status: 'ok' } }

export default new Hono()
  .get('/pbkdf2', async (c) => {
    const key = await crypto.subtle.importKey('raw', new TextEncoder().encode('bench'), 'PBKDF2', false, ['deriveBits'])
    const salt = new Uint8Array(16)
    await crypto.subtle.deriveBits({ name: 'PBKDF2', hash: 'SHA-256', salt, iterations: 100_000 }, key, 256)
    return c.json(envelope)
  })
  .get('*', (c) => c.json(envelope))
