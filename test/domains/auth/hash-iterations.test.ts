/**
 * `PASSWORD_HASH_ITERATIONS`: the PBKDF2 count of new hashes (the login's CPU, docs/benchmarks.md "Login"). A stored
 * hash keeps its own count, so a changed setting applies user by user: the next login with the right password
 * rehashes (after its answer), and the old and new hashes both verify meanwhile.
 */
import { eq } from 'drizzle-orm'
import { beforeAll, describe, expect, it } from 'vitest'
import { ConfigError, loadConfig } from '../../../src/core/config'
import { sysUser } from '../../../src/domains/users/schema'
import { SEED_PASSWORD } from '../../helpers/auth'
import { fileDb, seedFileDatabase } from '../../helpers/database'
import { attemptLogin } from './helpers'

beforeAll(seedFileDatabase)

const storedCount = async (username: string) => {
  const [row] = await fileDb()
    .select({ password: sysUser.password })
    .from(sysUser)
    .where(eq(sysUser.username, username))
  return Number(row?.password?.split('$')[1])
}

describe('PASSWORD_HASH_ITERATIONS', () => {
  it('defaults to the Workers cap and refuses counts outside 10 000–100 000', () => {
    expect(loadConfig({}).PASSWORD_HASH_ITERATIONS).toBe(100_000)
    expect(loadConfig({ PASSWORD_HASH_ITERATIONS: '50000' }).PASSWORD_HASH_ITERATIONS).toBe(50_000)
    for (const bad of ['9999', '100001', 'many']) {
      expect(() => loadConfig({ PASSWORD_HASH_ITERATIONS: bad })).toThrow(ConfigError)
    }
  })

  it('rehashes a user at the configured count on their next login, and back again', async () => {
    expect(await storedCount('test')).toBe(100_000)

    const lowered = { overrides: { PASSWORD_HASH_ITERATIONS: '20000' } }
    expect((await attemptLogin('test', SEED_PASSWORD, lowered)).status).toBe(200)
    expect(await storedCount('test')).toBe(20_000)
    // The rehashed password verifies under either setting.
    expect((await attemptLogin('test', SEED_PASSWORD, lowered)).status).toBe(200)
    expect((await attemptLogin('test', SEED_PASSWORD)).status).toBe(200)
    expect(await storedCount('test')).toBe(100_000)
  })

  it('never rehashes on a wrong password', async () => {
    const lowered = { overrides: { PASSWORD_HASH_ITERATIONS: '20000' } }
    expect((await attemptLogin('test', 'not the password', lowered)).status).not.toBe(200)
    expect(await storedCount('test')).toBe(100_000)
  })
})
