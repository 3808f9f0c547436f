/**
 * The shared name and image-URL helpers (src/core/schemas.ts), and every name field of the admin API that uses
 * them: NUL, unpaired surrogates and bidi overrides are a 422, never stored.
 */
import { describe, expect, it } from 'vitest'
import { isImageUrl, isSafeText, nameText } from '../../src/core/schemas'
import { seedAndSignIn } from '../helpers/auth'
import { unique } from '../helpers/fixtures'
import { failure, send } from '../helpers/harness'

const tokens = seedAndSignIn(['admin'])

/** One of each kind the helper refuses, in the middle of an otherwise fine name. */
const UNSAFE = {
  nul: 'ab\u0000cd',
  'lone high surrogate': 'ab\uD800cd',
  'lone low surrogate': 'ab\uDC00cd',
  'right-to-left override': 'admin\u202Egnp.exe',
  'left-to-right embedding': '\u202Aname',
  'first strong isolate': 'name\u2068x\u2069',
  'line feed inside': 'two\nlines',
} as const

describe('nameText / isSafeText', () => {
  it('refuses control characters, unpaired surrogates and bidi embeddings, overrides and isolates', () => {
    for (const [kind, value] of Object.entries(UNSAFE)) {
      expect(isSafeText(value), kind).toBe(false)
      expect(nameText(64).safeParse(value).success, kind).toBe(false)
    }
  })

  it('keeps ordinary names in any script, emoji (paired surrogates) and marks, trimmed', () => {
    for (const value of ['Alice', '用户88888', 'مرحبا', 'Zoë 😀', 'a\u200Fb']) {
      expect(nameText(64).parse(` ${value} `)).toBe(value)
    }
  })
})

describe('isImageUrl', () => {
  it('takes http(s), same-origin paths and raster data:image URLs only', () => {
    for (const ok of ['https://a.example/x.png', 'http://a.example', '/static/a.png', 'data:image/webp;base64,AAAA']) {
      expect(isImageUrl(ok), ok).toBe(true)
    }
    for (const bad of [
      'javascript:alert(1)',
      'data:image/svg+xml;base64,AA==',
      'data:text/html,x',
      'mailto:a@b.c',
      'x',
    ]) {
      expect(isImageUrl(bad), bad).toBe(false)
    }
  })
})

describe('every name the admin UI renders', () => {
  /** A valid body for each create route, and the name fields in it. */
  const routes = () =>
    [
      {
        path: '/api/v1/sys/users',
        body: { username: unique('u'), password: 'Passw0rd1', nickname: 'n', dept_id: 1, roles: [] },
        fields: ['username', 'nickname'],
      },
      {
        path: '/api/v1/sys/depts',
        body: { name: unique('d'), sort: 0, status: 1, leader: 'x' },
        fields: ['name', 'leader'],
      },
      { path: '/api/v1/sys/roles', body: { name: unique('r'), status: 1 }, fields: ['name'] },
      {
        path: '/api/v1/sys/menus',
        body: { title: unique('m'), name: unique('M'), type: 0, status: 1, display: 1, cache: 1 },
        fields: ['title', 'name'],
      },
      { path: '/api/v1/sys/data-scopes', body: { name: unique('s'), status: 1 }, fields: ['name'] },
      { path: '/api/v1/sys/dict-types', body: { name: unique('t'), code: unique('c', '_') }, fields: ['name'] },
      {
        path: '/api/v1/sys/dict-datas',
        body: { type_id: 1, label: unique('l'), value: unique('v'), sort: 0, status: 1 },
        fields: ['label'],
      },
      {
        path: '/api/v1/sys/notices',
        body: { title: unique('n'), type: 0, status: 1, content: 'x' },
        fields: ['title'],
      },
      {
        path: '/api/v1/sys/data-rules',
        body: { name: unique('rule'), model: 'Dept', column: 'name', operator: 0, expression: 0, value: 'x' },
        fields: ['name'],
      },
    ] as const

  it('refuses each kind of unsafe character with a 422 on the field', async () => {
    for (const { path, body, fields } of routes()) {
      for (const field of fields) {
        for (const [kind, value] of Object.entries(UNSAFE)) {
          const { status, errors } = await failure(
            send('POST', path, { token: tokens.admin, json: { ...body, [field]: value } }),
          )
          expect(status, `${path} ${field} ${kind}`).toBe(422)
          expect(errors[0], `${path} ${field} ${kind}`).toMatchObject({
            loc: ['body', field],
            msg: 'Must not contain control characters, unpaired surrogates or bidirectional overrides',
          })
        }
      }
    }
  })

  it('still creates each with an ordinary name', async () => {
    for (const { path, body } of routes()) {
      const res = await send('POST', path, { token: tokens.admin, json: body })
      expect(res.status, `${path} ${await res.clone().text()}`).toBe(200)
    }
  })

  it('refuses them in the caller’s own nickname and in the login name too', async () => {
    const nickname = await failure(
      send('PUT', '/api/v1/sys/users/me/nickname', {
        token: tokens.admin,
        json: { nickname: UNSAFE['right-to-left override'] },
      }),
    )
    expect(nickname.status).toBe(422)
    const loginName = await failure(
      send('POST', '/api/v1/auth/login', { json: { username: UNSAFE.nul, password: 'whatever' } }),
    )
    expect(loginName.status).toBe(422)
    expect(loginName.errors[0]?.loc).toEqual(['body', 'username'])
  })
})
