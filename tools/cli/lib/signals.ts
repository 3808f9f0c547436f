/**
 * Runs `cleanup` once on SIGINT/SIGTERM (or when asked), then exits: children must never outlive the CLI.
 * A stop signal exits 0; a shutdown asked for with an exit code (a child failed) exits with that code.
 */
export function onShutdown(
  cleanup: (signal: string) => Promise<void>,
): (signal?: string, exitCode?: number) => Promise<void> {
  let running: Promise<void> | undefined
  const shutdown = (signal = 'exit', exitCode = 0) => {
    running ??= cleanup(signal)
      .catch((err: unknown) => {
        console.error('stratum: error during shutdown:', err)
        exitCode ||= 1
      })
      .finally(() => process.exit(exitCode))
    return running
  }
  process.once('SIGINT', () => void shutdown('SIGINT'))
  process.once('SIGTERM', () => void shutdown('SIGTERM'))
  process.once('SIGHUP', () => void shutdown('SIGHUP'))
  return shutdown
}
