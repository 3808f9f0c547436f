/**
 * Emulator start/stop variants: an existing server via `redisUrl`, persistence with `dataDir`, and the
 * error when namespaces outnumber the server's logical databases.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Redis } from '@upstash/redis'
import { afterAll, describe, expect, it } from 'vitest'
import { startRedisEmulator } from '../../../tools/emulators/redis'
import { startRedisServer } from '../../../tools/emulators/redis/redis-server'

const TOKEN = 'lifecycle-token'
const tempDirs: string[] = []
afterAll(() => {
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true })
})

const client = (url: string) => new Redis({ url, token: TOKEN, enableTelemetry: false, retry: false })

describe('startRedisEmulator', () => {
  it('uses an existing server via redisUrl and leaves it running on close', async () => {
    const server = await startRedisServer({ databases: 8 })
    try {
      const emulator = await startRedisEmulator({ token: TOKEN, redisUrl: server.url })
      expect(emulator.redisUrl).toBe(server.url)
      await client(emulator.namespaceUrl('existing')).set('k', 'v')
      expect(await client(emulator.namespaceUrl('existing')).get('k')).toBe('v')
      await emulator.close()
      expect(() => process.kill(server.pid, 0)).not.toThrow()
    } finally {
      await server.close()
    }
  })

  it('fails fast with a clear message when redisUrl does not answer', async () => {
    await expect(startRedisEmulator({ token: TOKEN, redisUrl: 'redis://127.0.0.1:1' })).rejects.toThrow(
      /cannot reach Redis at redis:\/\/127\.0\.0\.1:1/,
    )
  })

  it('keeps data and the namespace → database mapping across restarts with dataDir', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'stratum-redis-emulator-'))
    tempDirs.push(dataDir)
    const first = await startRedisEmulator({ token: TOKEN, dataDir })
    await client(first.namespaceUrl('first-ns')).set('a', '1')
    await client(first.namespaceUrl('second-ns')).set('b', '2')
    await client(first.url).set('root', '0')
    await first.close()
    expect(JSON.parse(readFileSync(join(dataDir, 'namespaces.json'), 'utf8'))).toEqual({
      'first-ns': 1,
      'second-ns': 2,
    })

    const second = await startRedisEmulator({ token: TOKEN, dataDir })
    try {
      // Opened in the other order: the mapping, not the order of first use, decides the database.
      expect(await client(second.namespaceUrl('second-ns')).get('b')).toBe(2)
      expect(await client(second.namespaceUrl('first-ns')).get('a')).toBe(1)
      expect(await client(second.url).get('root')).toBe(0)
    } finally {
      await second.close()
    }
  })

  it('answers a clear error when logical databases run out', async () => {
    const emulator = await startRedisEmulator({ token: TOKEN, databases: 3 })
    try {
      await client(emulator.namespaceUrl('one')).set('k', '1')
      await client(emulator.namespaceUrl('two')).set('k', '2')
      const res = await fetch(`${emulator.namespaceUrl('three')}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${TOKEN}` },
        body: '["PING"]',
      })
      expect(res.status).toBe(503)
      expect(await res.json()).toEqual({ error: expect.stringMatching(/no free Redis logical database.*'three'/) })
      // Existing namespaces keep working.
      expect(await client(emulator.namespaceUrl('one')).get('k')).toBe(1)
    } finally {
      await emulator.close()
    }
  })

  it('spawned redis-server is gone after close()', async () => {
    const emulator = await startRedisEmulator({ token: TOKEN })
    const pid = Number(
      await client(emulator.url)
        .exec(['INFO', 'server'])
        .then((info) => /process_id:(\d+)/.exec(String(info))?.[1]),
    )
    expect(pid).toBeGreaterThan(0)
    await emulator.close()
    expect(() => process.kill(pid, 0)).toThrow()
  })
})
