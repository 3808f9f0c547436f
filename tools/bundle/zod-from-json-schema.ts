/**
 * Stand-in for zod's `classic/from-json-schema.js` in the Worker bundle (wrangler.toml `[alias]`, docs/benchmarks.md
 * "Worker bundle"). zod's namespace re-exports `z.fromJSONSchema` (JSON Schema → zod, ~38 KB unminified), and
 * `@hono/zod-openapi` hands that namespace to `extendZodWithOpenApi(z)` as a value, so no bundler can leave it out.
 * Nothing in Stratum builds schemas from JSON Schema at run time; the Worker's `z.fromJSONSchema` says so if called.
 * Tests and Node tools use the real module.
 */
export function fromJSONSchema(): never {
  throw new Error('z.fromJSONSchema is left out of the Worker bundle (tools/bundle/zod-from-json-schema.ts)')
}
