import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
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
})
