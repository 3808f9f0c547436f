/** Queues: upsert, list, get, delete, pause/resume. Parallelism and pause are enforced by the delivery loop. */
import { HttpError, readJson, sendJson } from '../../shared/http'
import { assertQueueName } from '../headers'
import { queueView } from '../views'
import { type ApiContext, isRecord, notFound, sendEmpty } from './context'

const MAX_PARALLELISM = 1000

export async function upsertQueue(ctx: ApiContext): Promise<void> {
  const body = await readJson(ctx.req, 64 * 1024)
  if (!isRecord(body)) throw new HttpError(400, { error: 'body must be a JSON object' })
  const { queueName, parallelism = 1, paused = false } = body
  if (typeof queueName !== 'string') throw new HttpError(400, { error: 'queueName must be a string' })
  assertQueueName(queueName)
  if (typeof parallelism !== 'number' || !Number.isInteger(parallelism) || parallelism < 1) {
    throw new HttpError(400, { error: 'parallelism must be a positive integer' })
  }
  if (parallelism > MAX_PARALLELISM) throw new HttpError(400, { error: `parallelism must be ≤ ${MAX_PARALLELISM}` })
  if (typeof paused !== 'boolean') throw new HttpError(400, { error: 'paused must be a boolean' })
  ctx.core.store.upsertQueue(queueName, parallelism, paused, ctx.core.clock.now())
  if (!paused) ctx.core.onWork()
  sendEmpty(ctx.res)
}

export function listQueues(ctx: ApiContext): void {
  const store = ctx.core.store
  sendJson(
    ctx.res,
    200,
    store.listQueues().map((q) => queueView(q, store.queueLag(q.name))),
  )
}

export function getQueue(ctx: ApiContext, name: string): void {
  const queue = ctx.core.store.getQueue(name)
  if (!queue) throw notFound('queue')
  sendJson(ctx.res, 200, queueView(queue, ctx.core.store.queueLag(name)))
}

/** Deleting a queue cancels the messages still waiting in it (they would otherwise be orphaned). */
export function deleteQueue(ctx: ApiContext, name: string): void {
  const core = ctx.core
  const deleted = core.store.transaction(() => {
    if (!core.store.getQueue(name)) return false
    for (const message of core.store.findUnfinished(new Map([['queueName', [name]]]))) core.cancel(message.id)
    return core.store.deleteQueue(name)
  })
  if (!deleted) throw notFound('queue')
  sendEmpty(ctx.res)
}

export function pauseQueue(ctx: ApiContext, name: string, paused: boolean): void {
  if (!ctx.core.store.setQueuePaused(name, paused, ctx.core.clock.now())) throw notFound('queue')
  if (!paused) ctx.core.onWork()
  sendEmpty(ctx.res)
}
