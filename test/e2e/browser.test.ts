/**
 * Headless Chromium against `wrangler dev`: the landing page and the docs UI render, the version picker switches
 * documents, and no request leaves 127.0.0.1.
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
    await page.locator('.swagger-ui .info .title').filter({ hasText: 'Stratum API v1' }).waitFor({ timeout: 20_000 })
    await page.locator('.opblock-summary-path', { hasText: '/health/ping' }).first().waitFor()
    await page.locator('select#select').selectOption({ label: 'v2' })
    await page.locator('.swagger-ui .info .title').filter({ hasText: 'Stratum API v2' }).waitFor({ timeout: 20_000 })
    await page.waitForLoadState('networkidle')
    expect(offsite(requested)).toEqual([])
    expect(errors).toEqual([])
    await page.close()
  })
})
