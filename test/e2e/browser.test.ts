/**
 * Headless Chromium against `wrangler dev`: the landing page and the docs UI render, the version picker switches
 * documents, no request leaves 127.0.0.1, and the docs list their operations within 2 s of navigation.
 */
import { existsSync } from 'node:fs'
import { type Browser, chromium } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { startWranglerDev } from './helpers/wrangler'

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

let server: Awaited<ReturnType<typeof startWranglerDev>>
let browser: Browser

beforeAll(async () => {
  if (!existsSync(CHROMIUM))
    throw new Error(`Chromium not found at ${CHROMIUM}: apt-get install chromium (or set CHROMIUM_PATH)`)
  server = await startWranglerDev({ ...inject('workerBindings'), ENVIRONMENT: 'development' })
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  })
})

afterAll(async () => {
  await browser?.close()
  await server?.stop()
})

async function openPage(path: string) {
  const page = await browser.newPage()
  const requested: string[] = []
  page.on('request', (req) => requested.push(req.url()))
  const errors: string[] = []
  page.on('pageerror', (err) => errors.push(err.message))
  await page.goto(`${server.url}${path}`)
  return { page, requested, errors }
}

const offsite = (urls: string[]) => urls.filter((u) => !u.startsWith('http://127.0.0.1:') && !u.startsWith('data:'))

describe('browser', () => {
  it('renders the landing page', async () => {
    const { page, requested, errors } = await openPage('/')
    expect(await page.locator('h1').textContent()).toBe('Stratum')
    expect(await page.getByTestId('environment').textContent()).toBe('development')
    await page.waitForLoadState('networkidle')
    expect(offsite(requested)).toEqual([])
    expect(errors).toEqual([])
    await page.close()
  })

  it('renders the docs UI offline and switches versions', async () => {
    const { page, requested, errors } = await openPage('/docs')
    const consoleErrors: string[] = []
    page.on('console', (msg) => msg.type() === 'error' && consoleErrors.push(msg.text()))
    await page.locator('aside[aria-label="Sidebar for Stratum API v1"]').waitFor({ timeout: 20_000 })
    await page.getByText('/health/ping').first().waitFor()
    await page.locator('.document-selector button').click()
    await page.getByRole('option', { name: 'v2' }).click()
    await page.locator('aside[aria-label="Sidebar for Stratum API v2"]').waitFor({ timeout: 20_000 })
    await page.waitForLoadState('networkidle')
    expect(offsite(requested)).toEqual([])
    // Each document is fetched once: the preload in the page's head is the request the UI uses.
    expect(requested.filter((u) => u.endsWith('/api/v1/openapi.json'))).toHaveLength(1)
    expect(errors).toEqual([])
    expect(consoleErrors).toEqual([]) // CSP violations are reported here
    await page.close()
  })

  it('lists the operations within 2 s of navigation', async () => {
    // Each try is a first visit (a new context: empty cache). Up to three tries, because other test files share this
    // machine's cores; a UI that is slow by itself (Swagger UI took 2.5–4.5 s here) fails all three.
    const tries: number[] = []
    for (let i = 0; i < 3 && !tries.some((ms) => ms < 2000); i++) {
      const context = await browser.newContext()
      const page = await context.newPage()
      await page.goto(`${server.url}/docs`, { waitUntil: 'commit' })
      // Milliseconds since navigation started (performance.now() counts from the page's time origin), taken when
      // the sidebar lists the first tag's operations (each item names its HTTP method) and the content shows them.
      const usable = await page.waitForFunction(
        () => {
          const items = [...document.querySelectorAll('aside li')].filter((li) =>
            li.textContent?.includes('HTTP Method'),
          )
          return items.length >= 2 && document.body.textContent?.includes('/health/ping') ? performance.now() : false
        },
        undefined,
        { timeout: 20_000 },
      )
      tries.push(Math.round(Number(await usable.jsonValue())))
      await context.close()
    }
    expect(Math.min(...tries), `time to usable per try (ms): ${tries.join(', ')}`).toBeLessThan(2000)
  })
})
