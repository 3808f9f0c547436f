/**
 * `build` run once, its promise shared by every caller; a failure is forgotten, so the next call tries again (a
 * module that failed to load, a document that failed to assemble, must not stay broken for the isolate's life).
 */
export function onceRetrying<T>(build: () => Promise<T>): () => Promise<T> {
  let pending: Promise<T> | undefined
  return () => {
    pending ??= build().catch((err: unknown) => {
      pending = undefined
      throw err
    })
    return pending
  }
}
