/**
 * A `workerd serve` configuration (Cap'n Proto text) for one Worker bundle: the module `wrangler deploy --dry-run`
 * wrote, text bindings for the variables and secrets, Durable Object namespaces kept on local disk, one HTTP socket,
 * and an outbound network that may reach the emulators on loopback (workerd's default "internet" allows only public
 * addresses). What it leaves out (a documented subset of what wrangler's local mode wires): static assets, cron
 * triggers and the Workers rate-limiting binding — the API routes benchmarked use none of them.
 */

export interface WorkerdConfigInput {
  /** The ES module file, relative to the config file's folder (`embed` resolves it from there). */
  modulePath: string
  port: number
  compatibilityDate: string
  compatibilityFlags?: readonly string[]
  /** Plain-text bindings (vars and secrets alike, as `.dev.vars` gives them). */
  vars?: Readonly<Record<string, string>>
  /** binding name → class exported by the module (SQLite-backed). */
  durableObjects?: Readonly<Record<string, string>>
  /** Folder for the Durable Objects' storage (absolute). Required when there are Durable Objects. */
  storageDir?: string
}

/** A Cap'n Proto text literal; only printable ASCII (plus what JSON escapes as `\"`/`\\`) is written. */
export function capnpText(value: string): string {
  if (!/^[\x20-\x7e]*$/.test(value))
    throw new Error(`workerd config: unsupported characters in ${JSON.stringify(value)}`)
  return JSON.stringify(value)
}

export function workerdConfig(input: WorkerdConfigInput): string {
  const objects = Object.entries(input.durableObjects ?? {})
  if (objects.length && !input.storageDir) throw new Error('workerd config: Durable Objects need a storageDir')
  const bindings = [
    ...Object.entries(input.vars ?? {}).map(
      ([name, value]) => `(name = ${capnpText(name)}, text = ${capnpText(value)})`,
    ),
    ...objects.map(
      ([name, className]) =>
        `(name = ${capnpText(name)}, durableObjectNamespace = (className = ${capnpText(className)}))`,
    ),
  ]
  const namespaces = objects.map(
    ([, className]) =>
      `(className = ${capnpText(className)}, uniqueKey = ${capnpText(`bench-${className}`)}, enableSql = true)`,
  )
  const flags = (input.compatibilityFlags ?? []).map(capnpText).join(', ')
  const list = (items: string[]) => (items.length ? `[\n    ${items.join(',\n    ')}\n  ]` : '[]')
  return `using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [
    (name = "main", worker = .worker),
    (name = "loopback", network = (allow = ["public", "private", "local"])),${
      objects.length
        ? `\n    (name = "do-storage", disk = (path = ${capnpText(input.storageDir ?? '')}, writable = true)),`
        : ''
    }
  ],
  sockets = [(name = "http", address = ${capnpText(`127.0.0.1:${input.port}`)}, http = (), service = "main")],
);

const worker :Workerd.Worker = (
  modules = [(name = "worker.js", esModule = embed ${capnpText(input.modulePath)})],
  compatibilityDate = ${capnpText(input.compatibilityDate)},
  compatibilityFlags = [${flags}],
  globalOutbound = "loopback",
  bindings = ${list(bindings)},
  durableObjectNamespaces = ${list(namespaces)},${objects.length ? '\n  durableObjectStorage = (localDisk = "do-storage"),' : ''}
);
`
}
