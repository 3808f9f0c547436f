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
    expect(html.startsWith('<!DOCTYPE html><html lang="en">')).toBe(true)
    expect(html).toContain('<h1>Stratum</h1>')
    expect(html).toMatch(/data-testid="version">\d+\.\d+\.\d+</)
    expect(html).toContain('data-testid="environment">test<')
    expect(html).toContain('href="/docs"')
    expect(html).toContain('href="/api/v1/health"')
  })

  it('serves the docs shell with local assets and both versions', async () => {
    const html = await (await send('GET', '/docs')).text()
    expect(html.startsWith('<!DOCTYPE html><html lang="en">')).toBe(true)
    expect(html).toContain('<script type="module" src="/assets/docs-init.js">')
    expect(html).toContain('<link rel="modulepreload" href="/vendor/scalar/standalone.esm.js"/>')
    expect(html).toContain('<link rel="preload" href="/api/v1/openapi.json" as="fetch" crossorigin="anonymous"/>')
    expect(html).not.toMatch(/https?:\/\//)
    expect(html).toContain('/api/v1/openapi.json')
    expect(html).toContain('/api/v2/openapi.json')
  })

  it('redirects /docs/ to /docs, keeping the query', async () => {
    const res = await send('GET', '/docs/?x=1')
    expect(res.status).toBe(301)
    expect(res.headers.get('location')).toBe('/docs?x=1')
    expect((await send('GET', '/docs/')).headers.get('location')).toBe('/docs')
  })

  it('has the docs UI among the static assets', async () => {
    const assets = (env as unknown as { ASSETS: Fetcher }).ASSETS
    const boot = await assets.fetch('http://assets.local/assets/docs-init.js')
    expect(boot.status).toBe(200)
    expect(await boot.text()).toContain("import { createApiReference } from '/vendor/scalar/standalone.esm.js'")
    const ui = await assets.fetch('http://assets.local/vendor/scalar/standalone.esm.js')
    expect(ui.status).toBe(200)
    const entry = await ui.text()
    expect(entry).toContain('createApiReference')
    // Its chunks have content-hashed names, so browsers may keep them (public/_headers).
    const chunk = /from"\.\/(chunks\/[^"]+\.js)"/.exec(entry)?.[1]
    const res = await assets.fetch(`http://assets.local/vendor/scalar/${chunk}`)
    expect(res.status, chunk).toBe(200)
    await res.arrayBuffer()
    expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable')
  })

  it('serves the static files with the same security headers as the pages (public/_headers)', async () => {
    const assets = (env as unknown as { ASSETS: Fetcher }).ASSETS
    for (const path of ['/assets/docs-init.js', '/assets/site.css', '/vendor/scalar/standalone.esm.js']) {
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
