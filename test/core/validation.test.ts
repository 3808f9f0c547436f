import { beforeAll, describe, expect, it } from 'vitest'
import { callJson, jsonInit } from '../helpers/app'
import { mountTestRoutes } from '../helpers/test-routes'

beforeAll(mountTestRoutes)

describe('request validation', () => {
  it('accepts a valid body', async () => {
    const { res, body } = await callJson('/test/things', jsonInit('POST', { name: 'abc', age: 3, kind: 'a' }))
    expect(res.status).toBe(200)
    expect(body.data).toEqual({ name: 'abc', age: 3, kind: 'a' })
  })

  it('answers 422 with one field error per problem', async () => {
    const { res, body } = await callJson(
      '/test/things',
      jsonInit('POST', { name: 'a', age: 'x', email: 'nope', kind: 'z' }),
    )
    expect(res.status).toBe(422)
    expect(body.code).toBe(422)
    const { errors } = body.data as { errors: { loc: string[]; msg: string; type: string }[] }
    const byField = Object.fromEntries(errors.map((e) => [e.loc.join('.'), e]))
    expect(byField['body.name']).toMatchObject({ type: 'too_small', msg: 'Must be at least 2 characters' })
    expect(byField['body.age']).toMatchObject({ type: 'invalid_type', msg: 'Expected number, received string' })
    expect(byField['body.email']).toMatchObject({ type: 'invalid_format' })
    expect(byField['body.kind']).toMatchObject({ type: 'invalid_value', msg: 'Must be one of: "a", "b"' })
    expect(body.msg).toMatch(/^Invalid request parameters: /)
  })

  it('reports missing fields as `missing`', async () => {
    const { res, body } = await callJson('/test/things', jsonInit('POST', {}))
    expect(res.status).toBe(422)
    const { errors } = body.data as { errors: { loc: string[]; type: string; msg: string }[] }
    expect(errors).toContainEqual({ loc: ['body', 'name'], msg: 'Field required', type: 'missing' })
    expect(body.msg).toBe('Invalid request parameters: name Field required')
  })

  it('validates the query string too', async () => {
    const { res, body } = await callJson('/test/things?page=0', jsonInit('POST', { name: 'abc', age: 3, kind: 'a' }))
    expect(res.status).toBe(422)
    expect((body.data as { errors: { loc: string[] }[] }).errors[0]?.loc).toEqual(['query', 'page'])
  })

  it('answers malformed JSON with 422 json_invalid', async () => {
    const { res, body } = await callJson('/test/things', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: '{"name": ',
    })
    expect(res.status).toBe(422)
    expect(body.data).toEqual({ errors: [{ loc: ['body'], msg: 'JSON decode error', type: 'json_invalid' }] })
  })

  it('localizes field messages', async () => {
    const { body } = await callJson('/test/things', jsonInit('POST', {}, { 'Accept-Language': 'zh-CN' }))
    expect(body.msg).toBe('请求参数非法: name 字段为必填项')
  })
})
