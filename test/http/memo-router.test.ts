/** MemoRouter: TrieRouter's answers, with the static ones remembered (bounded) and the memo reset by new routes. */
import { TrieRouter } from 'hono/router/trie-router'
import { describe, expect, it } from 'vitest'
import { MemoRouter } from '../../src/http/memo-router'

const ROUTES: [string, string, string][] = [
  ['ALL', '/*', 'everything'],
  ['ALL', '/api/*', 'api-middleware'],
  ['GET', '/api/health', 'health'],
  ['GET', '/api/users/me', 'me'],
  ['GET', '/api/users/:pk', 'user'],
  ['POST', '/api/users', 'create-user'],
  ['GET', '/api/files/*', 'files'],
]

function routers() {
  const memo = new MemoRouter<string>()
  const trie = new TrieRouter<string>()
  for (const [method, path, handler] of ROUTES) {
    memo.add(method, path, handler)
    trie.add(method, path, handler)
  }
  return { memo, trie }
}

const handlers = (result: ReturnType<MemoRouter<string>['match']>) => result[0].map(([handler]) => handler)

describe('MemoRouter', () => {
  it.each([
    ['GET', '/api/health'],
    ['GET', '/api/users/me'],
    ['GET', '/api/users/42'],
    ['POST', '/api/users'],
    ['GET', '/api/files/a/b.txt'],
    ['GET', '/pages/docs'],
    ['DELETE', '/api/health'],
    ['GET', '/nope'],
  ])('answers %s %s like TrieRouter', (method, path) => {
    const { memo, trie } = routers()
    expect(memo.match(method, path)).toEqual(trie.match(method, path))
    // Asked twice (the second from the memo where static): still the same answer.
    expect(memo.match(method, path)).toEqual(trie.match(method, path))
  })

  it('returns wildcard middleware and the route in registration order', () => {
    const { memo } = routers()
    expect(handlers(memo.match('GET', '/api/health'))).toEqual(['everything', 'api-middleware', 'health'])
    expect(handlers(memo.match('GET', '/api/users/me'))).toEqual(['everything', 'api-middleware', 'me', 'user'])
  })

  it('remembers a static answer', () => {
    const { memo } = routers()
    const first = memo.match('GET', '/api/health')
    expect(memo.match('GET', '/api/health')).toBe(first)
  })

  it('remembers a static route whose path a parametric route also matches', () => {
    const { memo, trie } = routers()
    const first = memo.match('GET', '/api/users/me')
    expect(memo.match('GET', '/api/users/me')).toBe(first)
    expect(first).toEqual(trie.match('GET', '/api/users/me'))
  })

  it('keeps the method in the memo key', () => {
    const { memo } = routers()
    memo.match('GET', '/api/users')
    expect(handlers(memo.match('POST', '/api/users'))).toEqual(['everything', 'api-middleware', 'create-user'])
  })

  it('does not remember answers with parameters', () => {
    const { memo } = routers()
    const first = memo.match('GET', '/api/users/1')
    const again = memo.match('GET', '/api/users/1')
    expect(again).not.toBe(first)
    expect(again).toEqual(first)
    const other = memo.match('GET', '/api/users/2')
    expect(first[0].find(([h]) => h === 'user')?.[1]).toEqual({ pk: '1' })
    expect(other[0].find(([h]) => h === 'user')?.[1]).toEqual({ pk: '2' })
  })

  it('forgets remembered answers when a route is added', () => {
    const { memo } = routers()
    const before = memo.match('GET', '/api/late')
    expect(handlers(before)).toEqual(['everything', 'api-middleware'])
    memo.add('GET', '/api/late', 'late')
    const after = memo.match('GET', '/api/late')
    expect(after).not.toBe(before)
    expect(handlers(after)).toEqual(['everything', 'api-middleware', 'late'])
  })

  it('stays bounded under many distinct static paths', () => {
    const { memo } = routers()
    const first = memo.match('GET', '/scan/0')
    for (let i = 1; i <= 600; i++) memo.match('GET', `/scan/${i}`)
    // The memo was emptied at 512 entries, so the first answer is computed afresh.
    expect(memo.match('GET', '/scan/0')).not.toBe(first)
    // ...while a recent one is still remembered.
    const recent = memo.match('GET', '/scan/600')
    expect(memo.match('GET', '/scan/600')).toBe(recent)
  })

  it('counts the bound across methods', () => {
    const { memo } = routers()
    const first = memo.match('GET', '/scan/0')
    for (let i = 1; i <= 300; i++) memo.match('GET', `/scan/${i}`)
    for (let i = 1; i <= 300; i++) memo.match('POST', `/scan/${i}`)
    expect(memo.match('GET', '/scan/0')).not.toBe(first)
    // After the reset, both methods are remembered again.
    const get = memo.match('GET', '/api/health')
    const post = memo.match('POST', '/api/users')
    expect(memo.match('GET', '/api/health')).toBe(get)
    expect(memo.match('POST', '/api/users')).toBe(post)
  })
})
