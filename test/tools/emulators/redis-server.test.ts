/**
 * `startRedisServer`: spawns redis-server on a free port, persists with a data dir, and never leaves a process
 * behind — not after close(), and not when its parent is SIGKILLed.
 */
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Redis } from 'ioredis'
import { afterAll, describe, expect, it } from 'vitest'
import { isAlive } from '../../../tools/cli/commands/emulators'
import { findOnPath, startRedisServer } from '../../../tools/emulators/redis/redis-server'

const tempDirs: string[] = []
afterAll(() => {
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true })
})

async function waitUntilGone(pid: number, timeoutMs = 5_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (!isAlive(pid)) return true
    await new Promise((resolve) => setTimeout(resolve, 25))
  }
  return !isAlive(pid)
}

async function withClient<T>(url: string, use: (client: Redis) => Promise<T>): Promise<T> {
  const client = new Redis(url, { lazyConnect: true })
  await client.connect()
  try {
    return await use(client)
  } finally {
    client.disconnect()
  }
}

describe('startRedisServer', () => {
  it('answers on its URL with 256 databases and leaves no process after close()', async () => {
    const server = await startRedisServer()
    expect(server.url).toMatch(/^redis:\/\/127\.0\.0\.1:\d+$/)
    expect(isAlive(server.pid)).toBe(true)
    await withClient(server.url, async (client) => {
      expect(await client.ping()).toBe('PONG')
      expect(await client.config('GET', 'databases')).toEqual(['databases', '256'])
      expect(await client.config('GET', 'appendonly')).toEqual(['appendonly', 'no'])
    })
    await server.close()
    expect(isAlive(server.pid)).toBe(false)
    await server.close() // idempotent
  })

  it('keeps data across restarts with a data dir', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'stratum-redis-'))
    tempDirs.push(dataDir)
    const first = await startRedisServer({ dataDir, databases: 4 })
    await withClient(first.url, (client) => client.set('survives', 'yes'))
    await first.close()
    const second = await startRedisServer({ dataDir, databases: 4 })
    try {
      expect(await withClient(second.url, (client) => client.get('survives'))).toBe('yes')
    } finally {
      await second.close()
    }
  })

  it('stops redis-server when its parent process is killed with SIGKILL', async () => {
    const script = [
      "import { startRedisServer } from './tools/emulators/redis/redis-server.ts'",
      'const server = await startRedisServer()',
      "console.log('pid=' + server.pid)",
      'setInterval(() => {}, 1_000)',
    ].join('\n')
    const parent = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: process.cwd(),
      stdio: ['ignore', 'pipe', 'inherit'],
    })
    const pid = await new Promise<number>((resolve, reject) => {
      let out = ''
      parent.stdout?.on('data', (chunk: Buffer) => {
        out += chunk.toString()
        const match = /pid=(\d+)/.exec(out)
        if (match) resolve(Number(match[1]))
      })
      parent.once('exit', (code) => reject(new Error(`parent exited early (${code}): ${out}`)))
    })
    expect(isAlive(pid)).toBe(true)
    parent.kill('SIGKILL')
    expect(await waitUntilGone(pid)).toBe(true)
  })

  it('refuses a port another Redis already serves instead of returning a handle to it', async () => {
    const first = await startRedisServer()
    try {
      await expect(startRedisServer({ port: first.port })).rejects.toThrow(/address already in use/i)
      expect(isAlive(first.pid)).toBe(true)
    } finally {
      await first.close()
    }
  })

  it('explains how to install redis-server when it is not on PATH', async () => {
    expect(findOnPath('redis-server', '/nonexistent-dir')).toBeUndefined()
    const path = process.env.PATH
    process.env.PATH = '/nonexistent-dir'
    try {
      await expect(startRedisServer()).rejects.toThrow(/apt-get install redis-server.*brew install redis.*REDIS_URL/s)
    } finally {
      process.env.PATH = path
    }
  })
})
