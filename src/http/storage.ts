/**
 * The uploads bucket of a request (infra/storage.ts), built from the request's bindings and config like the other
 * clients; a host without the bucket answers 503 for the routes that need it.
 */
import type { Context } from 'hono'
import { required } from '../infra/services'
import { createFileStorage, type FileStorage } from '../infra/storage'
import type { AppEnv } from './context'

export function storageOf(c: Context<AppEnv>): FileStorage {
  return required(createFileStorage(c.env, c.get('config')), 'storage')
}
