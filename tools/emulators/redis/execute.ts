/**
 * Runs prepared commands on one pooled connection, in the three Upstash shapes: a single command, a pipeline
 * (in order, per-command errors) and multi-exec (MULTI … EXEC, atomic).
 */
import type { PreparedCommand } from './command-policy'
import { type RedisConnection, sendRaw } from './connection-pool'
import { JsonCommandError } from './json-commands'
import { JsonPathError } from './json-path'
import type { Namespace } from './namespaces'
import { errorMessage, type RedisReply } from './reply'

export type Outcome = { ok: true; reply: RedisReply } | { ok: false; error: string }

/** Redis could not be reached (not an error reply): the request fails as a whole with HTTP 500. */
export class RedisUnavailableError extends Error {
  override name = 'RedisUnavailableError'
}

/** ioredis rejects with a ReplyError for Redis error replies, anything else is a connection problem. */
function isReplyError(err: unknown): boolean {
  return err instanceof Error && err.name === 'ReplyError'
}

function settle(promise: Promise<RedisReply>, transform?: (reply: RedisReply) => RedisReply): Promise<Outcome> {
  return promise.then(
    (reply) => ({ ok: true, reply: transform ? transform(reply) : reply }),
    (err: unknown) => {
      if (!isReplyError(err))
        throw new RedisUnavailableError(`ERR emulator lost its Redis connection: ${errorMessage(err)}`)
      return { ok: false, error: errorMessage(err) }
    },
  )
}

/** An emulated JSON command: its own errors and Redis's error replies are command errors, like any other. */
function runJson(connection: RedisConnection, command: Extract<PreparedCommand, { kind: 'json' }>): Promise<Outcome> {
  return settle(
    command.run(connection).catch((err: unknown) => {
      if (err instanceof JsonCommandError || err instanceof JsonPathError) {
        throw Object.assign(new Error(err.message), { name: 'ReplyError' })
      }
      throw err
    }),
  )
}

function localOutcome(command: Exclude<PreparedCommand, { kind: 'send' | 'json' }>): Outcome {
  if (command.kind === 'reject') return { ok: false, error: command.error }
  return command.reply instanceof Error
    ? { ok: false, error: command.reply.message }
    : { ok: true, reply: command.reply }
}

/**
 * Writes a batch with the socket corked so it leaves as one write (one syscall, few packets) instead of one
 * per command; Redis answers in the order written, which is what keeps a pipeline ordered.
 */
function corked<T>(connection: RedisConnection, write: () => T): T {
  const stream = connection.status === 'ready' ? connection.stream : undefined
  stream?.cork()
  try {
    return write()
  } finally {
    stream?.uncork()
  }
}

function startCommand(
  connection: RedisConnection,
  command: Exclude<PreparedCommand, { kind: 'json' }>,
): Promise<Outcome> {
  return command.kind === 'send'
    ? settle(sendRaw(connection, command.name, command.args), command.transform)
    : Promise.resolve(localOutcome(command))
}

export function runPipeline(namespace: Namespace, commands: PreparedCommand[]): Promise<Outcome[]> {
  const connection = namespace.pool.acquire()
  // The common case stays one synchronous write of every command (no await between them).
  if (!commands.some((command) => command.kind === 'json')) {
    const plain = commands as Exclude<PreparedCommand, { kind: 'json' }>[]
    return Promise.all(corked(connection, () => plain.map((command) => startCommand(connection, command))))
  }
  return runWithJson(connection, commands)
}

/**
 * A JSON command reads, computes and writes: the commands after it wait until it is done; all share one connection,
 * so each still sees the effects of the ones before it.
 */
async function runWithJson(connection: RedisConnection, commands: PreparedCommand[]): Promise<Outcome[]> {
  const outcomes: Promise<Outcome>[] = []
  let batch: Exclude<PreparedCommand, { kind: 'json' }>[] = []
  const flush = () => {
    const sent = batch
    batch = []
    outcomes.push(...corked(connection, () => sent.map((command) => startCommand(connection, command))))
  }
  for (const command of commands) {
    if (command.kind !== 'json') {
      batch.push(command)
      continue
    }
    flush()
    const outcome = runJson(connection, command)
    outcomes.push(outcome)
    await outcome
  }
  flush()
  return Promise.all(outcomes)
}

export async function runSingle(namespace: Namespace, command: PreparedCommand): Promise<Outcome> {
  const [outcome] = await runPipeline(namespace, [command])
  return outcome!
}

export type TransactionResult = { ok: true; outcomes: Outcome[] } | { ok: false; error: string }

/**
 * MULTI, the commands, EXEC — written back to back on one connection, so no other request's command can land
 * inside the transaction. Commands the emulator refuses discard the whole transaction before anything is
 * sent (as Redis does for unknown commands); runtime errors come back per command inside EXEC's reply.
 * Locally answered commands (SCRIPT EXISTS, EVALSHA of an unknown script) keep their place in the results.
 */
export async function runTransaction(namespace: Namespace, commands: PreparedCommand[]): Promise<TransactionResult> {
  const refused = commands.find((command) => command.kind === 'reject')
  if (refused?.kind === 'reject') {
    return { ok: false, error: `EXECABORT Transaction discarded because of previous errors: ${refused.error}` }
  }
  const json = commands.find((command) => command.kind === 'json')
  if (json) {
    // Emulated JSON commands read before they write, which cannot happen between MULTI and EXEC.
    return {
      ok: false,
      error: `EXECABORT Transaction discarded because of previous errors: ERR ${json.name} inside /multi-exec is not supported by the Stratum Redis emulator (use /pipeline)`,
    }
  }
  const sent = commands.filter((command) => command.kind === 'send')
  if (sent.length === 0) return { ok: true, outcomes: collect(commands, []) }

  const connection = namespace.pool.acquire()
  const { queued, exec } = corked(connection, () => {
    const multi = settle(sendRaw(connection, 'MULTI', []))
    const queued = [multi, ...sent.map((command) => settle(sendRaw(connection, command.name, command.args)))]
    return { queued, exec: settle(sendRaw(connection, 'EXEC', [])) }
  })
  const [queueOutcomes, execOutcome] = await Promise.all([Promise.all(queued), exec])
  if (!execOutcome.ok) {
    const firstQueueError = queueOutcomes.find((outcome) => !outcome.ok)
    const detail = firstQueueError && !firstQueueError.ok ? ` First error: ${firstQueueError.error}` : ''
    return { ok: false, error: `${execOutcome.error}${detail}` }
  }
  const replies = execOutcome.reply
  if (!Array.isArray(replies) || replies.length !== sent.length) {
    return { ok: false, error: 'EXECABORT Transaction aborted (unexpected EXEC reply)' }
  }
  return { ok: true, outcomes: collect(commands, replies) }
}

/** Outcomes in request order: EXEC's replies for the sent commands, local answers in between. */
function collect(commands: PreparedCommand[], replies: RedisReply[]): Outcome[] {
  let next = 0
  return commands.map((command): Outcome => {
    if (command.kind === 'json') return { ok: false, error: 'ERR not run' } // refused above
    if (command.kind !== 'send') return localOutcome(command)
    const reply = replies[next++] ?? null
    if (reply instanceof Error) return { ok: false, error: reply.message }
    return { ok: true, reply: command.transform ? command.transform(reply) : reply }
  })
}
