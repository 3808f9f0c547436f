/**
 * Sensitive reads, generated from the route table: reads of logs, monitors and configs return personal data, secrets
 * or infrastructure internals, so each is marked `x-sensitive` (`defineRoute({ sensitive: true })`) and needs a
 * permission code that a seeded menu button carries. For every such route (and every read in those areas, marked or
 * not), in every API version:
 *   a signed-in user with no role → 403;
 *   a signed-in user whose roles hold every menu except the buttons carrying the route's code → 403;
 *   a user holding just that code → neither 401 nor 403.
 * Requests carry dummy path params and no query: validation or 404 answers are fine for the holder.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { SUPPORTED_VERSIONS } from '../src/app/app'
import { sysMenu } from '../src/domains/menus/schema'
import { fileDb, seedFileDatabase } from './helpers/database'
import { send } from './helpers/harness'
import { signedInWith } from './helpers/permissions'
import { documentedOperations } from './http/openapi-document'

/** Where every read is sensitive: the login and operation logs, the monitors, the config plugin. */
const SENSITIVE_AREAS = [/^\/logs\//, /^\/monitors\//, /^\/sys\/configs(\/|$)/]

interface Operation {
  method: string
  /** The path inside its version (`/logs/login`). */
  path: string
  url: string
  access: string | undefined
  sensitive: boolean
}

const inSensitiveArea = (op: Operation) => op.method === 'GET' && SENSITIVE_AREAS.some((area) => area.test(op.path))

async function operations(): Promise<Operation[]> {
  return (await documentedOperations(SUPPORTED_VERSIONS)).map(({ method, path, version, operation }) => ({
    method,
    path,
    url: `/api/${version}${path.replace(/\{\w+\}/g, '999999')}`,
    access: operation['x-access'],
    sensitive: operation['x-sensitive'] === true,
  }))
}

let ops: Operation[]
let sensitive: Operation[]
/** Permission codes carried by the seeded menus, and every menu's name with its codes. */
let menus: { name: string; codes: string[] }[]
let roleless: string

const status = async (op: Operation, token: string) => {
  const res = await send(op.method, op.url, { token })
  await res.arrayBuffer()
  return res.status
}

beforeAll(async () => {
  await seedFileDatabase()
  ops = await operations()
  // Marked ones, and the reads of the sensitive areas whether marked or not (the first test names those).
  sensitive = ops.filter((o) => o.sensitive || inSensitiveArea(o))
  menus = (await fileDb().select({ name: sysMenu.name, perms: sysMenu.perms }).from(sysMenu)).map((m) => ({
    name: m.name,
    codes: m.perms?.split(',').map((p) => p.trim()) ?? [],
  }))
  roleless = await signedInWith([])
})

describe('sensitive reads', () => {
  it('marks every read of logs, monitors and configs as sensitive', () => {
    const reads = ops.filter(inSensitiveArea)
    const unmarked = reads.filter((o) => !o.sensitive).map((o) => `${o.method} ${o.url} (${o.access})`)
    expect(unmarked, 'reads of logs, monitors or configs without x-sensitive').toEqual([])
    expect(reads.map((o) => o.path)).toEqual(
      expect.arrayContaining(['/logs/login', '/monitors/redis', '/sys/configs/all']),
    )
    console.log(`sensitive reads: ${sensitive.length} routes across ${SUPPORTED_VERSIONS.join(', ')}`)
  })

  it('are reads that need a permission code carried by a seeded menu button', () => {
    const carried = new Set(menus.flatMap((m) => m.codes))
    const wrong = sensitive
      .filter((o) => o.method !== 'GET' || !o.access?.includes(':') || !carried.has(o.access))
      .map((o) => `${o.method} ${o.url} (${o.access})`)
    expect(wrong).toEqual([])
  })

  it('answer 403 to a signed-in user without the code, and serve one who holds it', async () => {
    const wrong: string[] = []
    for (const op of sensitive) {
      const got = await status(op, roleless)
      if (got !== 403) wrong.push(`${op.method} ${op.url} (${op.access}) no role → ${got}`)
    }
    const codes = [...new Set(sensitive.flatMap((o) => (o.access?.includes(':') ? [o.access] : [])))]
    for (const code of codes) {
      // Every page and button but the ones carrying this code: no other code, page or role stands in for it.
      const allBut = await signedInWith([], { menus: menus.filter((m) => !m.codes.includes(code)).map((m) => m.name) })
      const holder = await signedInWith([code])
      for (const op of sensitive.filter((o) => o.access === code)) {
        const without = await status(op, allBut)
        if (without !== 403) wrong.push(`${op.method} ${op.url} (${code}) every other menu → ${without}`)
        const held = await status(op, holder)
        if (held === 401 || held === 403) wrong.push(`${op.method} ${op.url} (${code}) holder → ${held}`)
      }
    }
    expect(wrong).toEqual([])
  })
})
