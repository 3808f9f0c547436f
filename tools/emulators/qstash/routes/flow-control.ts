/**
 * Flow-control management (`client.flowControl` in @upstash/qstash): list, get, pause/resume, pin/unpin,
 * resetRate, and `GET /v2/globalParallelism`. Enforcement lives in the delivery loop (flow-control.ts).
 */
import { HttpError, sendJson } from '../../shared/http'
import { NAME_PATTERN } from '../headers'
import { type ApiContext, notFound, requireKnownParams, sendEmpty } from './context'

export function listFlowControls(ctx: ApiContext): void {
  const now = ctx.core.clock.now()
  sendJson(
    ctx.res,
    200,
    ctx.core.flow.list().map((state) => ctx.core.flow.info(state, now)),
  )
}

export function getFlowControl(ctx: ApiContext, key: string): void {
  const state = ctx.core.flow.get(key)
  if (!state) throw notFound('flow control key')
  sendJson(ctx.res, 200, ctx.core.flow.info(state, ctx.core.clock.now()))
}

export function getGlobalParallelism(ctx: ApiContext): void {
  sendJson(ctx.res, 200, ctx.core.globalParallelism())
}

const ACTIONS = ['pause', 'resume', 'pin', 'unpin', 'resetRate'] as const
export type FlowControlAction = (typeof ACTIONS)[number]

export function isFlowControlAction(action: string | undefined): action is FlowControlAction {
  return ACTIONS.some((known) => known === action)
}

/** A positive integer query parameter, or undefined when absent; anything else is a 400. */
function positiveParam(ctx: ApiContext, name: string): number | undefined {
  const raw = ctx.query.get(name)
  if (raw === null) return undefined
  if (!/^\d+$/.test(raw) || Number(raw) < 1) throw new HttpError(400, { error: `${name} must be a positive integer` })
  return Number(raw)
}

function booleanParam(ctx: ApiContext, name: string): boolean {
  const raw = ctx.query.get(name)
  if (raw === null) return false
  if (raw !== 'true' && raw !== 'false') throw new HttpError(400, { error: `${name} must be true or false` })
  return raw === 'true'
}

/**
 * Actions on a key the emulator has not seen yet create it (pausing ahead of the first message is useful);
 * a malformed key, an unknown parameter or an empty pin/unpin is a 400 and changes nothing.
 */
export function flowControlAction(ctx: ApiContext, key: string, action: FlowControlAction): void {
  if (!NAME_PATTERN.test(key)) {
    throw new HttpError(400, { error: 'flow control key may only contain letters, digits, -, _ and .' })
  }
  const flow = ctx.core.flow
  switch (action) {
    case 'pause':
    case 'resume':
      requireKnownParams(ctx.query, [])
      flow.setPaused(key, action === 'pause')
      break
    case 'resetRate':
      requireKnownParams(ctx.query, [])
      flow.resetRate(key)
      break
    case 'pin': {
      requireKnownParams(ctx.query, ['parallelism', 'rate', 'period'])
      const pin = {
        parallelism: positiveParam(ctx, 'parallelism'),
        rate: positiveParam(ctx, 'rate'),
        period: positiveParam(ctx, 'period'),
      }
      if (pin.parallelism === undefined && pin.rate === undefined && pin.period === undefined) {
        throw new HttpError(400, { error: 'pin needs parallelism, rate or period' })
      }
      flow.pin(key, pin)
      break
    }
    case 'unpin': {
      requireKnownParams(ctx.query, ['parallelism', 'rate'])
      const unpin = { parallelism: booleanParam(ctx, 'parallelism'), rate: booleanParam(ctx, 'rate') }
      if (!unpin.parallelism && !unpin.rate) throw new HttpError(400, { error: 'unpin needs parallelism or rate' })
      flow.unpin(key, unpin)
      break
    }
  }
  // Resuming, raising a limit or starting a new rate period may let waiting messages go.
  ctx.core.onWork()
  sendEmpty(ctx.res)
}
