/** Runs `cleanup` once on SIGINT/SIGTERM (or when asked), then exits: children must never outlive the CLI. */
export function onShutdown(cleanup: (signal: string) => Promise<void>): (signal?: string) => Promise<void> {
  let running: Promise<void> | undefined
  const shutdown = (signal = 'exit') => {
    running ??= cleanup(signal)
      .catch((err: unknown) => console.error('stratum: error during shutdown:', err))
      .finally(() => process.exit(0))
    return running
  }
  process.once('SIGINT', () => void shutdown('SIGINT'))
  process.once('SIGTERM', () => void shutdown('SIGTERM'))
  process.once('SIGHUP', () => void shutdown('SIGHUP'))
  return shutdown
}
