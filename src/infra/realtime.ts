/**
 * Push to connected Socket.IO clients from anywhere: a route or service (`realtimeOf(c)`, http/realtime.ts), a task
 * handler or an event consumer (`createRealtime(env, logger)` with the bindings they were given). Calls go to the
 * realtime hub, a Durable Object (src/domains/realtime/hub.ts), by RPC. docs/realtime.md is the guide.
 *
 * Pushing is best effort, like the sockets it serves: a call waits at most `REALTIME_TIMEOUT_MS`, and a hub that is
 * missing (a Node host, a Worker without the binding), slow or failing is logged and counted as 0 sockets reached —
 * never an error for the business operation that pushed.
 */
import type { Config } from '../core/config'
import type { MessageKey, MessageParams } from '../core/i18n'
import { errorMessage, type Logger } from '../core/logging'

/** The binding name of the hub's Durable Object namespace (wrangler.toml `[[durable_objects.bindings]]`). */
export const REALTIME_BINDING = 'REALTIME_HUB'

/** Who receives a push: every socket, one user's, one login session's, or a room's. */
export type RealtimeTarget = 'all' | { user: number } | { session: string } | { room: string }

/**
 * A text of the message catalogue, written by the hub in each socket's own language (its upgrade request's
 * `Accept-Language`, as CONNECT errors are): a push has no reader's language of its own.
 */
export interface LocalizedText {
  key: MessageKey
  params?: MessageParams
}

/** Fields of an object payload to fill, per socket, with a catalogue text in that socket's language. */
export type LocalizedFields = Readonly<Record<string, LocalizedText>>

/** Whose sockets a kick or a room change applies to. */
export type RealtimeMember = { user: number } | { session: string }

/**
 * What the hub answers over RPC (implemented by the hub's Durable Object class). Each answer counts the connections
 * it touched (one socket connected to two namespaces counts twice).
 */
export interface RealtimeHubRpc {
  /** The WebSocket upgrade, forwarded by the Worker's `/ws/socket.io` route. */
  fetch(request: Request): Promise<Response>
  emit(event: string, data: unknown, to: RealtimeTarget, localized?: LocalizedFields): Promise<number>
  disconnect(who: RealtimeMember): Promise<number>
  join(who: RealtimeMember, room: string): Promise<number>
  leave(who: RealtimeMember, room: string): Promise<number>
  /** The subset of `sessions` with at least one connected socket. */
  online(sessions: readonly string[]): Promise<string[]>
}

/**
 * The part of a Durable Object namespace binding the adapter uses, typed by the RPC it expects of the stub (and without
 * the Workers types, so Node hosts compile it; an id is opaque here).
 */
export interface RealtimeHubNamespace {
  idFromName(name: string): object
  get(id: object): RealtimeHubRpc
}

function isHubNamespace(value: unknown): value is RealtimeHubNamespace {
  const candidate = value as Partial<RealtimeHubNamespace> | null | undefined
  return typeof candidate?.idFromName === 'function' && typeof candidate.get === 'function'
}

/**
 * The hub that serves `target`. One hub for now; sharding (by user id, say) plugs in here — every push, kick and
 * upgrade picks its hub through this function (docs/realtime.md, "Scaling").
 */
export function hubFor(namespace: RealtimeHubNamespace, _target?: RealtimeTarget | RealtimeMember): RealtimeHubRpc {
  return namespace.get(namespace.idFromName('hub'))
}

/** The hub namespace among a Worker's bindings, if this deployment has one. */
export function hubNamespace(bindings: object | undefined): RealtimeHubNamespace | undefined {
  const value = (bindings as Record<string, unknown> | undefined)?.[REALTIME_BINDING]
  return isHubNamespace(value) ? value : undefined
}

// Said once per isolate: on a host without a hub every push would otherwise repeat it.
let missingHubReported = false

export class Realtime {
  constructor(
    private readonly namespace: RealtimeHubNamespace | undefined,
    private readonly logger: Logger,
    private readonly timeoutMs: number,
  ) {}

  /** Whether pushes reach anyone on this host (false without the hub binding). */
  get available(): boolean {
    return this.namespace !== undefined
  }

  /**
   * Sends Socket.IO event `event` with `data` (JSON) to `to`; resolves to the number of connections reached.
   * `localized` adds fields to an object `data`, each a catalogue text the hub writes in each socket's language:
   * `emit('task_notification', {}, { to, localized: { msg: { key: 'task.notify_started', params } } })`.
   */
  emit(
    event: string,
    data: unknown,
    options: { to: RealtimeTarget; localized?: LocalizedFields | undefined },
  ): Promise<number> {
    const { to, localized } = options
    return this.#call(
      'emit',
      to,
      (hub) => (localized ? hub.emit(event, data, to, localized) : hub.emit(event, data, to)),
      { event },
    )
  }

  /** Closes the sockets of a user or a session at once (a Socket.IO DISCONNECT first, so clients do not reconnect). */
  disconnect(who: RealtimeMember): Promise<number> {
    return this.#call('disconnect', who, (hub) => hub.disconnect(who))
  }

  /** Puts the connected sockets of a user or session in `room` (sockets that connect later start without it). */
  join(who: RealtimeMember, room: string): Promise<number> {
    return this.#call('join', who, (hub) => hub.join(who, room), { room })
  }

  leave(who: RealtimeMember, room: string): Promise<number> {
    return this.#call('leave', who, (hub) => hub.leave(who, room), { room })
  }

  /**
   * The subset of `sessions` with a connected socket; undefined when that cannot be known (no hub on this host, or
   * the hub did not answer).
   */
  async online(sessions: readonly string[]): Promise<Set<string> | undefined> {
    if (!this.namespace) return undefined
    if (!sessions.length) return new Set()
    try {
      return new Set(await this.#bounded(hubFor(this.namespace).online([...sessions])))
    } catch (err) {
      this.logger.error('realtime hub did not answer', { call: 'online', error: errorMessage(err) })
      return undefined
    }
  }

  async #call(
    call: string,
    target: RealtimeTarget | RealtimeMember,
    work: (hub: RealtimeHubRpc) => Promise<number>,
    fields: Record<string, unknown> = {},
  ): Promise<number> {
    if (!this.namespace) {
      if (!missingHubReported) {
        missingHubReported = true
        this.logger.info('realtime hub not bound on this host: pushes and kicks do nothing', { call })
      }
      return 0
    }
    try {
      return await this.#bounded(work(hubFor(this.namespace, target)))
    } catch (err) {
      this.logger.error('realtime hub did not answer', { call, ...fields, error: errorMessage(err) })
      return 0
    }
  }

  /** `work`, or a rejection once the deadline passed (the RPC itself is not cancelled, only no longer waited for). */
  async #bounded<T>(work: Promise<T>): Promise<T> {
    let timer: ReturnType<typeof setTimeout> | undefined
    const expired = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${this.timeoutMs} ms`)), this.timeoutMs)
    })
    work.catch(() => undefined)
    try {
      return await Promise.race([work, expired])
    } finally {
      clearTimeout(timer)
    }
  }
}

/** The push API over a Worker's bindings (`env`, or a request's `c.env`). */
export function createRealtime(
  bindings: object | undefined,
  config: Pick<Config, 'REALTIME_TIMEOUT_MS'>,
  logger: Logger,
): Realtime {
  return new Realtime(hubNamespace(bindings), logger, config.REALTIME_TIMEOUT_MS)
}
