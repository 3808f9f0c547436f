/**
 * Time handling with a scale factor so tests need not wait real minutes.
 *
 * - `scale(ms)` shrinks every delay/backoff/`Retry-After` (timeScale 0.001 turns 12 s into 12 ms).
 * - Cron schedules run on a *virtual* clock that advances `1 / cronTimeScale` times faster than the wall
 *   clock from the moment the emulator started, so with 0.001 a cron minute lasts 60 ms of real time.
 *   With scale 1 (the default) the virtual clock is the wall clock.
 * Everything stored or reported (createdAt, notBefore, nextScheduleTime…) is real unix ms.
 */
export class Clock {
  /** Real time at which virtual and real clocks coincide. */
  readonly anchor = Date.now()

  constructor(
    readonly timeScale = 1,
    readonly cronTimeScale = timeScale,
  ) {}

  now(): number {
    return Date.now()
  }

  /** A duration of QStash time expressed in real ms. */
  scale(ms: number): number {
    return Math.max(0, Math.round(ms * this.timeScale))
  }

  /** The current virtual time seen by cron expressions. */
  cronNow(now = Date.now()): number {
    return this.anchor + (now - this.anchor) / this.cronTimeScale
  }

  /** The real time at which the virtual clock shows `virtual`. */
  cronToReal(virtual: number): number {
    return Math.round(this.anchor + (virtual - this.anchor) * this.cronTimeScale)
  }
}
