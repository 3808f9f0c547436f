/**
 * The hosts beside Workers (docs/hosts.md). A module of its own, importing nothing, so that tools naming a host
 * (tools/hosts/runtimes.ts, the bench, the e2e smoke suite) share this declaration without type-checking the app that
 * ./runtime.ts loads.
 */
export type HostName = 'node' | 'bun' | 'deno'
