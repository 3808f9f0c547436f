/**
 * QStash flow control: messages sharing an `Upstash-Flow-Control-Key` are held back so that at most `parallelism`
 * of them are in flight and at most `rate` start per `period`. A key's limits are the latest publish's, unless
 * pinned through the management API; pause holds every message of the key in its wait list.
 *
 * The state is a table next to the messages (same SQLite file), so it survives restarts like the messages do.
 * A rate period is QStash time: the emulator's time scale shrinks it like any delay.
 */
import type Database from 'libsql'
import type { Clock } from './clock'
import type { FlowControlLimits, StoredMessage } from './types'

const SCHEMA = `
CREATE TABLE IF NOT EXISTS flow_controls (
  key TEXT PRIMARY KEY,
  parallelism INTEGER,
  rate INTEGER,
  period INTEGER NOT NULL DEFAULT 1,
  rate_count INTEGER NOT NULL DEFAULT 0,
  period_start INTEGER NOT NULL DEFAULT 0,
  paused INTEGER NOT NULL DEFAULT 0,
  pinned_parallelism INTEGER NOT NULL DEFAULT 0,
  pinned_rate INTEGER NOT NULL DEFAULT 0
);
`

export interface FlowControlState {
  key: string
  parallelism: number | null
  rate: number | null
  period: number
  rateCount: number
  periodStart: number
  paused: boolean
  pinnedParallelism: boolean
  pinnedRate: boolean
}

/** `GET /v2/flowControl/{key}` — the SDK's `FlowControlInfo` (0 = unlimited, as QStash reports it). */
export interface FlowControlInfo {
  flowControlKey: string
  waitListSize: number
  parallelismMax: number
  parallelismCount: number
  rateMax: number
  rateCount: number
  ratePeriod: number
  ratePeriodStart: number
  isPaused: boolean
  isPinnedParallelism: boolean
  isPinnedRate: boolean
}

type Row = Record<string, unknown>

function int(row: Row, column: string): number {
  const value = row[column]
  return typeof value === 'number' ? value : typeof value === 'bigint' ? Number(value) : 0
}

function optInt(row: Row, column: string): number | null {
  return row[column] === null || row[column] === undefined ? null : int(row, column)
}

function toState(row: Row): FlowControlState {
  return {
    key: String(row.key),
    parallelism: optInt(row, 'parallelism'),
    rate: optInt(row, 'rate'),
    period: int(row, 'period') || 1,
    rateCount: int(row, 'rate_count'),
    periodStart: int(row, 'period_start'),
    paused: int(row, 'paused') === 1,
    pinnedParallelism: int(row, 'pinned_parallelism') === 1,
    pinnedRate: int(row, 'pinned_rate') === 1,
  }
}

export class FlowControls {
  constructor(
    private readonly db: Database.Database,
    private readonly clock: Clock,
  ) {
    db.exec(SCHEMA)
  }

  get(key: string): FlowControlState | undefined {
    const row = this.db.prepare('SELECT * FROM flow_controls WHERE key = ?').get(key) as Row | undefined
    return row ? toState(row) : undefined
  }

  list(): FlowControlState[] {
    return (this.db.prepare('SELECT * FROM flow_controls ORDER BY key').all() as Row[]).map(toState)
  }

  /** A publish with flow control: the key exists from now on and takes the message's limits unless pinned. */
  configure(key: string, limits: FlowControlLimits): void {
    this.ensure(key)
    this.db
      .prepare(
        `UPDATE flow_controls SET
           parallelism = CASE WHEN pinned_parallelism = 1 THEN parallelism ELSE ? END,
           rate = CASE WHEN pinned_rate = 1 THEN rate ELSE ? END,
           period = CASE WHEN pinned_rate = 1 THEN period ELSE ? END
         WHERE key = ?`,
      )
      .run(limits.parallelism, limits.rate, limits.period, key)
  }

  ensure(key: string): void {
    this.db.prepare('INSERT OR IGNORE INTO flow_controls (key, period_start) VALUES (?, ?)').run(key, this.clock.now())
  }

  setPaused(key: string, paused: boolean): void {
    this.ensure(key)
    this.db.prepare('UPDATE flow_controls SET paused = ? WHERE key = ?').run(paused ? 1 : 0, key)
  }

  /** Pins the given settings (others keep following incoming messages). */
  pin(key: string, pin: { parallelism?: number; rate?: number; period?: number }): void {
    this.ensure(key)
    if (pin.parallelism !== undefined) {
      this.db
        .prepare('UPDATE flow_controls SET parallelism = ?, pinned_parallelism = 1 WHERE key = ?')
        .run(pin.parallelism, key)
    }
    if (pin.rate !== undefined || pin.period !== undefined) {
      this.db
        .prepare(
          'UPDATE flow_controls SET rate = coalesce(?, rate), period = coalesce(?, period), pinned_rate = 1 WHERE key = ?',
        )
        .run(pin.rate ?? null, pin.period ?? null, key)
    }
  }

  unpin(key: string, unpin: { parallelism: boolean; rate: boolean }): void {
    this.ensure(key)
    this.db
      .prepare(
        `UPDATE flow_controls SET
           pinned_parallelism = CASE WHEN ? THEN 0 ELSE pinned_parallelism END,
           pinned_rate = CASE WHEN ? THEN 0 ELSE pinned_rate END
         WHERE key = ?`,
      )
      .run(unpin.parallelism ? 1 : 0, unpin.rate ? 1 : 0, key)
  }

  /** Clears the rate count and starts a new period now. */
  resetRate(key: string): void {
    this.ensure(key)
    this.db
      .prepare('UPDATE flow_controls SET rate_count = 0, period_start = ? WHERE key = ?')
      .run(this.clock.now(), key)
  }

  /**
   * Whether `message` may start now; takes a rate token when it may. Messages without a key always may. Called by
   * the delivery loop right before it marks the message active, so `active` counts the ones already started.
   */
  admit(message: StoredMessage, now: number): boolean {
    const key = message.flowControlKey
    if (key === null) return true
    let state = this.get(key)
    if (!state) {
      // A message accepted before its key's row existed (older data file): its own limits apply.
      if (message.flowControl) this.configure(key, message.flowControl)
      else this.ensure(key)
      state = this.get(key)
      if (!state) return true
    }
    if (state.paused) return false
    if (state.parallelism !== null && this.activeCount(key) >= state.parallelism) return false
    if (state.rate === null) return true
    let { rateCount, periodStart } = state
    if (now >= periodStart + this.clock.scale(state.period * 1000)) {
      rateCount = 0
      periodStart = now
    }
    if (rateCount >= state.rate) return false
    this.db
      .prepare('UPDATE flow_controls SET rate_count = ?, period_start = ? WHERE key = ?')
      .run(rateCount + 1, periodStart, key)
    return true
  }

  /** Keys that cannot start a message now (paused, parallelism reached, rate used up for this period). */
  blockedKeys(now: number): string[] {
    return this.list()
      .filter((state) => {
        if (state.paused) return true
        if (state.parallelism !== null && this.activeCount(state.key) >= state.parallelism) return true
        const periodOver = now >= state.periodStart + this.clock.scale(state.period * 1000)
        return state.rate !== null && !periodOver && state.rateCount >= state.rate
      })
      .map((state) => state.key)
  }

  activeCount(key: string): number {
    const row = this.db
      .prepare(`SELECT count(*) AS n FROM messages WHERE flow_control_key = ? AND state = 'active'`)
      .get(key) as Row
    return int(row, 'n')
  }

  /** Due messages of the key that wait for it (parallelism, rate or pause). */
  waitListSize(key: string, now: number): number {
    const row = this.db
      .prepare(`SELECT count(*) AS n FROM messages WHERE flow_control_key = ? AND state = 'pending' AND next_at <= ?`)
      .get(key, now) as Row
    return int(row, 'n')
  }

  info(state: FlowControlState, now: number): FlowControlInfo {
    const periodOver = now >= state.periodStart + this.clock.scale(state.period * 1000)
    return {
      flowControlKey: state.key,
      waitListSize: this.waitListSize(state.key, now),
      parallelismMax: state.parallelism ?? 0,
      parallelismCount: this.activeCount(state.key),
      rateMax: state.rate ?? 0,
      rateCount: periodOver ? 0 : state.rateCount,
      ratePeriod: state.period,
      ratePeriodStart: state.periodStart,
      isPaused: state.paused,
      isPinnedParallelism: state.pinnedParallelism,
      isPinnedRate: state.pinnedRate,
    }
  }
}
