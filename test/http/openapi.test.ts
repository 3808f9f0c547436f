import { describe, expect, it } from 'vitest'
import { app } from '../helpers/app'
import { type OpenApiDocument, openApiDocument } from './openapi-document'

/** Every `$ref` in the document must point at an existing component. */
function danglingRefs(doc: OpenApiDocument): string[] {
  const refs: string[] = []
  const walk = (node: unknown) => {
    if (Array.isArray(node)) node.forEach(walk)
    else if (node && typeof node === 'object') {
      for (const [k, v] of Object.entries(node)) {
        if (k === '$ref' && typeof v === 'string') refs.push(v)
        else walk(v)
      }
    }
  }
  walk(doc)
  return refs.filter((ref) => {
    const [, , section, name] = ref.split('/')
    return !(section && name && doc.components[section]?.[name])
  })
}

/** The routes the app actually serves under one version, in OpenAPI path syntax. */
function servedOperations(version: string): string[] {
  const prefix = `/api/${version}`
  const operations = app.routes
    .filter((r) => r.method !== 'ALL' && r.path.startsWith(`${prefix}/`) && !r.path.endsWith('/openapi.json'))
    .map((r) => `${r.method.toLowerCase()} ${r.path.slice(prefix.length).replace(/:(\w+)/g, '{$1}')}`)
  // A route with its own middleware appears once per handler in Hono's table.
  return [...new Set(operations)]
}

describe.each(['v1', 'v2'])('OpenAPI document %s', (version) => {
  it('is a valid-looking OpenAPI 3.1 document', async () => {
    const doc = await openApiDocument(version)
    expect(doc.openapi).toBe('3.1.0')
    expect(doc.info.title).toBe(`Stratum API ${version}`)
    expect(doc.servers).toEqual([{ url: `/api/${version}` }])
    expect(doc.components.securitySchemes?.bearerAuth).toEqual({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
    expect(danglingRefs(doc)).toEqual([])
    for (const [path, ops] of Object.entries(doc.paths)) {
      expect(path.startsWith('/')).toBe(true)
      for (const op of Object.values(ops)) expect(Object.keys(op.responses).length).toBeGreaterThan(0)
    }
  })

  it('lists every served route', async () => {
    const doc = await openApiDocument(version)
    const documented = Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m} ${path}`))
    expect(documented.sort()).toEqual(servedOperations(version).sort())
    expect(documented).toContain('get /health/ping')
  })

  it('declares error responses once, as shared components', async () => {
    const doc = await openApiDocument(version)
    expect(Object.keys(doc.components.responses ?? {})).toEqual(
      expect.arrayContaining(['BadRequest', 'Unauthorized', 'NotFound', 'ValidationFailed', 'InternalError']),
    )
    const ping = doc.paths['/health/ping']?.get
    expect(ping?.responses['422']).toEqual({ $ref: '#/components/responses/ValidationFailed' })
    expect(ping?.security).toEqual([])
    expect(ping?.['x-access']).toBe('public')
  })
})
