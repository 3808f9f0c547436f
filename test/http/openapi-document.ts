/**
 * A version's OpenAPI document as the app serves it (`GET /api/<version>/openapi.json`, not a typed route), read
 * through a schema of the parts the tests look at; everything else is kept as served.
 */
import { z } from '@hono/zod-openapi'
import { expect } from 'vitest'
import { send } from '../helpers/harness'

const OperationSchema = z.looseObject({
  responses: z.record(z.string(), z.unknown()),
  security: z.array(z.unknown()).optional(),
  'x-access': z.string().optional(),
  'x-rate-limit': z.unknown().optional(),
  'x-sensitive': z.boolean().optional(),
  /** The table a data-permission-aware route works on (`defineRoute`'s `dataPermission`). */
  'x-data-permission': z.string().optional(),
})

const DocumentSchema = z.looseObject({
  openapi: z.string(),
  info: z.looseObject({ title: z.string(), version: z.string() }),
  servers: z.array(z.looseObject({ url: z.string() })),
  paths: z.record(z.string(), z.record(z.string(), OperationSchema)),
  components: z.record(z.string(), z.record(z.string(), z.unknown())),
})

export type OpenApiDocument = z.infer<typeof DocumentSchema>

/** The document of `version`, from the default app or from the app `get` calls (e.g. one with test plugins). */
export async function openApiDocument(
  version: string,
  get: (path: string) => Promise<Response> = (path) => send('GET', path),
): Promise<OpenApiDocument> {
  const res = await get(`/api/${version}/openapi.json`)
  expect(res.status).toBe(200)
  return DocumentSchema.parse(await res.json())
}

/** One operation of a served document, with where it lives. */
export interface DocumentedOperation {
  version: string
  /** Upper-case method, e.g. `GET`. */
  method: string
  /** The documented path inside the version, e.g. `/sys/users/{pk}`. */
  path: string
  operation: z.infer<typeof OperationSchema>
}

/** Every operation of the given versions' documents (the route table the generated matrices walk). */
export async function documentedOperations(versions: readonly string[]): Promise<DocumentedOperation[]> {
  const ops: DocumentedOperation[] = []
  for (const version of versions) {
    const doc = await openApiDocument(version)
    for (const [path, byMethod] of Object.entries(doc.paths)) {
      for (const [method, operation] of Object.entries(byMethod)) {
        ops.push({ version, method: method.toUpperCase(), path, operation })
      }
    }
  }
  return ops
}
