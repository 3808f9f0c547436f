/**
 * The layering of src/, made executable (docs/architecture.md explains it):
 *
 *   core (kernel) ← infra (adapters) ← http (context, router, middleware) ← domains, plugins, views ← app (assembly)
 *   ← the entries: the Worker's (src/index.ts) and the Node, Bun and Deno hosts' (src/hosts/)
 *
 * A layer imports only from the layers to its left (and from itself); nothing imports the app layer except the
 * entries; nothing imports a host; and no module takes part in an import cycle, type-only imports included.
 * `npm run lint` runs it; test/architecture/layers.test.ts runs it in `npm test` and shows it failing on a wrong import.
 */

const CORE = '^src/core/'
const INFRA = '^src/infra/'
const HTTP = '^src/http/'
const FEATURES = '^src/(domains|plugins|views)/'
const APP = '^src/(app/|index\\.ts$)'

/** A rule forbidding `from` to import any of `to`. */
const layer = (name, comment, from, to) => ({
  name,
  comment,
  severity: 'error',
  from: { path: from },
  to: { path: to },
})

module.exports = {
  forbidden: [
    layer(
      'core-imports-only-core',
      'The kernel (src/core) knows no adapter, HTTP context, domain, plugin or app: it holds no I/O.',
      CORE,
      '^src/(infra|http|domains|plugins|views|app)/|^src/index\\.ts$',
    ),
    layer(
      'infra-imports-only-core',
      'Adapters (src/infra) may use the kernel, never the HTTP layer, domains, plugins or the app.',
      INFRA,
      '^src/(http|domains|plugins|views|app)/|^src/index\\.ts$',
    ),
    layer(
      'http-stays-below-features',
      'The HTTP layer (src/http) knows no domain, plugin, page or the app: they plug into it (docs/architecture.md).',
      HTTP,
      '^src/(domains|plugins|views|app)/|^src/index\\.ts$',
    ),
    layer(
      'features-do-not-import-the-app',
      'Domains, plugins and pages never import the assembly (src/app): it imports them.',
      FEATURES,
      APP,
    ),
    layer(
      'domains-do-not-import-plugins',
      'Domains work without any plugin: a plugin extends the core through the hooks in src/plugins/types.ts.',
      '^src/domains/',
      '^src/plugins/',
    ),
    layer(
      'nothing-imports-a-host',
      'The Node, Bun and Deno entries (src/hosts) and the typed client (src/client) sit on top, beside the Worker entry: nothing in the app imports them, so their code never reaches the Worker bundle.',
      '^src/(core|infra|http|domains|plugins|views|app)/|^src/index\\.ts$',
      '^src/(hosts|client)/',
    ),
    {
      name: 'no-cycles',
      comment: 'No import cycles in src/, type-only imports included: each one hides a layer that reaches up.',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true },
    },
  ],
  options: {
    // swc parses TypeScript and keeps type-only imports, so they count too. (dependency-cruiser cannot use the
    // TypeScript 7.0 compiler API; `tsPreCompilationDeps` would only ask for it and warn.)
    parser: 'swc',
    tsPreCompilationDeps: false,
    tsConfig: { fileName: 'tsconfig.json' },
    doNotFollow: { path: 'node_modules' },
    exclude: { path: 'node_modules' },
  },
}
