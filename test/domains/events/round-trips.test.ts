/**
 * Round trips (acceptance point, docs/events.md): a write that emits makes the same number of database round trips
 * before its response as the same write without events — the outbox row is one more statement of the write's own
 * `db.batch`, not one more request. Publishing is `waitUntil` work after the response: its round trips (claim the row,
 * mark it SENT) come after the handler has answered. Counted at the libSQL emulator, for this file's database only,
 * with the test route of ./helpers.ts, which snapshots the counters when its handler is about to answer.
 */

import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { beforeAll, describe, expect, it } from 'vitest'
import { seedFileDatabase } from '../../helpers/database'
import { deliverUntil } from '../../helpers/deliveries'
import { unique } from '../../helpers/fixtures'
import { answer } from '../../helpers/harness'
import { FILE_ID, fileBindings } from '../../helpers/isolation'
import {
  createProbeTables,
  type EMIT_MODES,
  effectsOf,
  eventApp,
  eventHarness,
  outboxOf,
  type ProbeRoutes,
  whenProbeHandled,
} from './helpers'

const bindings = env as unknown as { TEST_LIBSQL_URL: string }
const NAME = `t_${FILE_ID}`

/** The operation log (another write after the response) is left out, so only the event path is counted. */
const OVERRIDES = { OPERA_LOG_EXCLUDE: '/api/v1/test-events' }

interface Counts {
  pipelines: number
  statements: number
}

async function counts(): Promise<Counts> {
  const stats = await fetch(`${bindings.TEST_LIBSQL_URL}/_emulator/stats`).then(
    (r) => r.json() as Promise<{ databases: Record<string, { pipelines: number; statements: number }> }>,
  )
  const db = stats.databases[NAME]
  return { pipelines: db?.pipelines ?? 0, statements: db?.statements ?? 0 }
}

const delta = (after: Counts, before: Counts): Counts => ({
  pipelines: after.pipelines - before.pipelines,
  statements: after.statements - before.statements,
})

type Mode = (typeof EMIT_MODES)[number]

/** One probe write: what it cost up to its handler's answer, and in all (the harness waits for `waitUntil`). */
async function measured(emit: Mode) {
  const label = unique(emit)
  let atAnswer: Counts | undefined
  whenProbeHandled(async () => {
    atAnswer = await counts()
  })
  try {
    const before = await counts()
    const { status } = await answer(
      eventHarness.api<ProbeRoutes>(undefined, { overrides: OVERRIDES })['test-events'].probes.$post({
        json: { label, emit },
      }),
    )
    expect(status).toBe(200)
    const after = await counts()
    if (!atAnswer) throw new Error('the route did not run')
    return { label, responsePath: delta(atAnswer, before), total: delta(after, before) }
  } finally {
    whenProbeHandled(undefined)
  }
}

beforeAll(async () => {
  await seedFileDatabase()
  await createProbeTables()
})

describe('a write that emits an event', () => {
  it('makes the same database round trips before its response as without the event; publishing comes after', async () => {
    const none = await measured('none')
    const query = await measured('query')
    // An outbox row written without the request's sink is not published after the response (the next dispatch
    // or the cron sweep takes it: here, the sink's dispatch below).
    expect(await outboxOf(query.label)).toMatchObject([{ status: 'PENDING' }])
    const sink = await measured('sink')

    // The response path: one pipeline whether or not the batch carries an outbox row (one statement more).
    expect(none.responsePath.pipelines).toBe(1)
    expect(query.responsePath.pipelines).toBe(none.responsePath.pipelines)
    expect(sink.responsePath.pipelines).toBe(none.responsePath.pipelines)
    expect(query.responsePath.statements).toBe(none.responsePath.statements + 1)
    expect(sink.responsePath.statements).toBe(none.responsePath.statements + 1)

    // Nothing follows the response of a write that emitted nothing through the request's sink…
    expect(none.total).toEqual(none.responsePath)
    expect(query.total).toEqual(query.responsePath)
    // …while the sink's rows are published after it: two round trips (claim, mark SENT) after the handler answered.
    expect(sink.total.pipelines).toBe(sink.responsePath.pipelines + 2)
    for (const { label } of [query, sink]) expect(await outboxOf(label)).toMatchObject([{ status: 'SENT' }])

    await deliverUntil(
      async () => (await Promise.all([query.label, sink.label].map(effectsOf))).every((e) => e.length === 2),
      { app: eventApp },
    )
  })

  it('hands the publishing to waitUntil: the response is returned while it is still running', async () => {
    const label = unique('after')
    const ctx = createExecutionContext()
    const handed: Promise<unknown>[] = []
    const waitUntil = ctx.waitUntil.bind(ctx)
    ctx.waitUntil = (work: Promise<unknown>) => {
      handed.push(work)
      waitUntil(work)
    }
    const response = await eventApp.request(
      '/api/v1/test-events/probes',
      {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ label, emit: 'sink' }),
      },
      { ...env, ...fileBindings, ...OVERRIDES },
      ctx,
    )
    let settled = false
    const all = Promise.allSettled(handed).then(() => {
      settled = true
    })
    // The answer is complete, the publishing not: it needs the network, and nothing waited for it.
    expect(response.status).toBe(200)
    await response.arrayBuffer()
    expect(handed.length).toBeGreaterThan(0)
    expect(settled).toBe(false)
    await waitOnExecutionContext(ctx)
    await all
    expect(await outboxOf(label)).toMatchObject([{ status: 'SENT' }])
    await deliverUntil(async () => (await effectsOf(label)).length === 2, { app: eventApp })
  })
})
