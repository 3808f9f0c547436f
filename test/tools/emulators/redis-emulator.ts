/** One Redis emulator per test file, started before its tests and closed after them. */
import { afterAll, beforeAll } from 'vitest'
import { type RunningRedisEmulator, startRedisEmulator } from '../../../tools/emulators/redis'

/** Starts an emulator that accepts `token` for this file; call the returned function inside tests. */
export function useRedisEmulator(token: string): () => RunningRedisEmulator {
  let emulator: RunningRedisEmulator | undefined
  beforeAll(async () => {
    emulator = await startRedisEmulator({ token })
  })
  afterAll(async () => {
    await emulator?.close()
  })
  return () => {
    if (!emulator) throw new Error('the Redis emulator has not started')
    return emulator
  }
}
