import { beforeAll, describe, expect, it } from 'vitest'
import { answer, failure, send } from '../helpers/harness'
import { mountTestRoutes } from '../helpers/test-routes'

beforeAll(mountTestRoutes)

/** `POST /test/things` (a route that exists only in tests) with this JSON body. */
const postThing = (json: unknown, options: { query?: string; headers?: Record<string, string> } = {}) =>
  send('POST', `/test/things${options.query ?? ''}`, { json, headers: options.headers })

describe('request validation', () => {
  it('accepts a valid body', async () => {
    const { status, data } = await answer(postThing({ name: 'abc', age: 3, kind: 'a' }))
    expect(status).toBe(200)
    expect(data).toEqual({ name: 'abc', age: 3, kind: 'a' })
  })

  it('answers 422 with one field error per problem', async () => {
    const { status, body, errors } = await failure(postThing({ name: 'a', age: 'x', email: 'nope', kind: 'z' }))
    expect(status).toBe(422)
    expect(body.code).toBe(422)
    const byField = Object.fromEntries(errors.map((e) => [e.loc.join('.'), e]))
    expect(byField['body.name']).toMatchObject({ type: 'too_small', msg: 'Must be at least 2 characters' })
    expect(byField['body.age']).toMatchObject({ type: 'invalid_type', msg: 'Expected number, received string' })
    expect(byField['body.email']).toMatchObject({ type: 'invalid_format' })
    expect(byField['body.kind']).toMatchObject({ type: 'invalid_value', msg: 'Must be one of: "a", "b"' })
    expect(body.msg).toMatch(/^Invalid request parameters: /)
  })

  it('reports missing fields as `missing`', async () => {
    const { status, body, errors } = await failure(postThing({}))
    expect(status).toBe(422)
    expect(errors).toContainEqual({ loc: ['body', 'name'], msg: 'Field required', type: 'missing' })
    expect(body.msg).toBe('Invalid request parameters: name Field required')
  })

  it('validates the query string too', async () => {
    const { status, errors } = await failure(postThing({ name: 'abc', age: 3, kind: 'a' }, { query: '?page=0' }))
    expect(status).toBe(422)
    expect(errors[0]?.loc).toEqual(['query', 'page'])
  })

  it('answers malformed JSON with 422 json_invalid', async () => {
    const res = await send('POST', '/test/things', {
      body: '{"name": ',
      headers: { 'Content-Type': 'application/json' },
    })
    const { status, body } = await failure(res)
    expect(status).toBe(422)
    expect(body.data).toEqual({ errors: [{ loc: ['body'], msg: 'JSON decode error', type: 'json_invalid' }] })
  })

  it('localizes field messages', async () => {
    const { body } = await failure(postThing({}, { headers: { 'Accept-Language': 'zh-CN' } }))
    expect(body.msg).toBe('请求参数非法: name 字段为必填项')
  })
})
