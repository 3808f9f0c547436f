/**
 * A client object built on first use. Per-request handles are cheap to hand out only if building them is: the SDK
 * clients set up a lot (the Redis SDK a closure per command it knows, the libSQL client its URL and HTTP machinery),
 * and many requests take a handle they never call. Methods are bound to the real object, so clients that keep
 * private fields (`#x`) work through the proxy.
 */
export function lazyInstance<T extends object>(build: () => T): T {
  let instance: T | undefined
  const real = (): T => {
    instance ??= build()
    return instance
  }
  return new Proxy({} as T, {
    get(_, prop) {
      const target = real()
      const value: unknown = Reflect.get(target, prop)
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value
    },
    has: (_, prop) => Reflect.has(real(), prop),
    set: (_, prop, value) => Reflect.set(real(), prop, value),
  })
}
