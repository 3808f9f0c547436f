/** The shape every local emulator returns from its `start…()` function. */
export interface RunningEmulator {
  /** Human name, e.g. `libsql`. */
  name: string
  /** Base URL without a trailing slash. */
  url: string
  port: number
  /** Stops accepting requests, ends background work and releases files and child processes. */
  close(): Promise<void>
}
