import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { PAGE_SECURE_HEADERS } from '../../src/http/middleware/secure-headers'
import { send } from '../helpers/harness'

describe('pages', () => {
  it('renders the landing page with name, version, environment and links', async () => {
    const res = await send('GET', '/')
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toContain('text/html')
    const html = await res.text()
    expect(html).toContain('<h1>Stratum</h1>')
    expect(html).toMatch(/data-testid="version">\d+\.\d+\.\d+</)
    expect(html).toContain('data-testid="environment">test<')
    expect(html).toContain('href="/docs"')
    expect(html).toContain('href="/api/v1/health"')
  })

  it('serves the docs shell with local assets and both versions', async () => {
    const html = await (await send('GET', '/docs')).text()
    expect(html).toContain('/vendor/swagger-ui/swagger-ui-bundle.js')
    expect(html).not.toMatch(/https?:\/\//)
    expect(html).toContain('/api/v1/openapi.json')
    expect(html).toContain('/api/v2/openapi.json')
  })

  it('has the docs UI among the static assets', async () => {
    const assets = (env as unknown as { ASSETS: Fetcher }).ASSETS
    const res = await assets.fetch('http://assets.local/assets/docs-init.js')
    expect(res.status).toBe(200)
    expect(await res.text()).toContain('SwaggerUIBundle')
  })

  it('serves the static files with the same security headers as the pages (public/_headers)', async () => {
    const assets = (env as unknown as { ASSETS: Fetcher }).ASSETS
    for (const path of ['/assets/docs-init.js', '/assets/site.css', '/vendor/swagger-ui/swagger-ui.css']) {
      const res = await assets.fetch(`http://assets.local${path}`)
      expect(res.status, path).toBe(200)
      await res.arrayBuffer()
      for (const [name, value] of Object.entries(PAGE_SECURE_HEADERS))
        expect(res.headers.get(name), `${path}: ${name}`).toBe(value)
    }
    // The headers file configures; it is not served.
    expect((await assets.fetch('http://assets.local/_headers')).status).toBe(404)
  })
})
