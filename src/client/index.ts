/**
 * `stratum/client`: a typed RPC client for the API (Hono's `hc`), per version. Paths, parameters, bodies and answers
 * are read from the routers' own types — every domain (src/app/domains.ts) and plugin (src/plugins/registry.ts) with
 * routes for that version — so a changed route shape fails to compile in the code calling it (docs/hosts.md,
 * "Typed client"). Only types come from the server code: the client's runtime is `hono/client` alone.
 *
 *   const v1 = stratumClient('https://api.example.com', { token })
 *   const res = await v1.sys.users.me.$get()
 *   const { data } = await res.json() // typed as the route declares it
 */
import type { Env, Hono } from 'hono'
import { type ClientRequestOptions, hc } from 'hono/client'
import type { Schema } from 'hono/types'
import type { DomainModules } from '../app/domains'
import type { AppEnv } from '../http/context'
import type { LazyRoutes } from '../http/lazy-routes'
import type { InstalledPlugins } from '../plugins/registry'

type ApiVersion = 'v1' | 'v2'

/** The route schema of a router factory (`(catalogue) => Router`, or one loaded on first use), or nothing. */
type SchemaOf<F> = F extends LazyRoutes<infer G> ? SchemaOfFactory<G> : SchemaOfFactory<F>

type SchemaOfFactory<F> = F extends (...args: never[]) => infer R
  ? R extends Hono<infer _E extends Env, infer S extends Schema, infer _B extends string>
    ? KnownPaths<S>
    : never
  : never

/**
 * The schema's declared paths only: a router whose type was widened somewhere (`Schema`'s `[path: string]`) would
 * otherwise turn the whole merged API into "any path", and the client would check nothing.
 */
type KnownPaths<S> = { [K in keyof S as string extends K ? never : K]: S[K] }

type AsSchema<S> = S extends Schema ? S : never

type UnionToIntersection<U> = (U extends unknown ? (x: U) => void : never) extends (x: infer I) => void ? I : never

/** A module's or plugin's router factory for `V`, or nothing. */
type FactoryOf<M, V extends ApiVersion> = M extends { routes: infer R }
  ? R extends { readonly [K in V]?: infer F }
    ? NonNullable<F>
    : never
  : never

/** Every module's and plugin's router factories for `V`. */
type RouterFactories<V extends ApiVersion> = FactoryOf<DomainModules[number] | InstalledPlugins[number], V>

/** The whole API of one version as one Hono type, which `hc` reads. */
export type StratumApi<V extends ApiVersion> = Hono<
  AppEnv,
  AsSchema<UnionToIntersection<SchemaOf<RouterFactories<V>>>>,
  '/'
>

export interface StratumClientOptions extends ClientRequestOptions {
  /** API version (default `v1`). */
  version?: ApiVersion
  /** Sent as `Authorization: Bearer <token>`. */
  token?: string
}

/** A typed client for `<baseUrl>/api/<version>`. */
export function stratumClient<V extends ApiVersion = 'v1'>(
  baseUrl: string,
  options: StratumClientOptions & { version?: V } = {},
) {
  const { version = 'v1', token, headers, ...rest } = options
  const auth: Record<string, string> = token ? { Authorization: `Bearer ${token}` } : {}
  return hc<StratumApi<V>>(`${baseUrl.replace(/\/+$/, '')}/api/${version}`, {
    ...rest,
    headers: typeof headers === 'function' ? async () => ({ ...auth, ...(await headers()) }) : { ...auth, ...headers },
  })
}

export type StratumClient<V extends ApiVersion = 'v1'> = ReturnType<typeof stratumClient<V>>
