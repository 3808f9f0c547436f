import { describe, expect, it } from 'vitest'
import { negotiateLanguage, t } from '../../src/core/i18n'
import { enUS } from '../../src/core/i18n/en-US'
import { zhCN } from '../../src/core/i18n/zh-CN'
import type { healthRoutes } from '../../src/domains/health/routes'
import { answer, api, failure, send } from '../helpers/harness'

/** `GET /api/v1/nope`, a route that does not exist, asked in `language`. */
const missingRoute = (language: string) =>
  failure(send('GET', '/api/v1/nope', { headers: { 'Accept-Language': language } }))

describe('language negotiation', () => {
  it.each([
    [undefined, 'en-US'],
    ['', 'en-US'],
    ['zh-CN', 'zh-CN'],
    ['zh', 'zh-CN'],
    ['zh-TW,en;q=0.5', 'zh-CN'],
    ['fr-FR,fr;q=0.9', 'en-US'],
    ['fr;q=1, zh-CN;q=0.8, en;q=0.9', 'en-US'],
    ['en;q=0.1, zh-CN;q=0.8', 'zh-CN'],
    ['en-GB', 'en-US'],
    ['zh-CN;q=0', 'en-US'],
    ['*', 'en-US'],
  ])('%s → %s', (header, expected) => {
    expect(negotiateLanguage(header)).toBe(expected)
  })
})

describe('catalogues', () => {
  it('zh-CN has every key, with non-empty text', () => {
    expect(Object.keys(zhCN).sort()).toEqual(Object.keys(enUS).sort())
    for (const value of Object.values(zhCN)) expect(value.trim()).not.toBe('')
  })

  it('interpolates parameters', () => {
    expect(t('en-US', 'error.payload_too_large', { limit: 10 })).toBe(
      'Request body is larger than the limit of 10 bytes',
    )
  })
})

describe('responses follow Accept-Language', () => {
  it('serves zh-CN when asked', async () => {
    const ping = api<typeof healthRoutes>(undefined, { headers: { 'Accept-Language': 'zh-CN,zh;q=0.9' } }).health.ping
    const { body } = await answer(ping.$get())
    expect(body.msg).toBe('请求成功')
  })

  it('falls back to en-US for an unknown language', async () => {
    const { body } = await missingRoute('fr')
    expect(body.msg).toBe('No route matches GET /api/v1/nope')
  })

  it('localizes error messages', async () => {
    const { body } = await missingRoute('zh')
    expect(body.msg).toBe('没有与 GET /api/v1/nope 匹配的路由')
  })
})
