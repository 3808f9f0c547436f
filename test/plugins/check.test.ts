/** The build check of the plugin registry: names, versions, fields, dependencies — and `createApp` enforcing it. */
import { describe, expect, it } from 'vitest'
import { createApp } from '../../src/app/app'
import { createRouter } from '../../src/http/router'
import { checkPlugins, dependenciesOf, dependentsOf, PluginCheckError } from '../../src/plugins/check'
import { PLUGINS } from '../../src/plugins/registry'
import { definePlugin, type PluginManifest } from '../../src/plugins/types'

const fake = (name: string, extra: Partial<PluginManifest> = {}): PluginManifest =>
  definePlugin({
    name,
    version: '1.0.0',
    summary: `Plugin ${name}`,
    description: `The ${name} test plugin`,
    author: 'tests',
    tags: ['other'],
    kind: 'app',
    ...extra,
  })

const problemsOf = (list: PluginManifest[], versions?: string[]) => {
  try {
    checkPlugins(list, versions ? { versions } : {})
  } catch (err) {
    expect(err).toBeInstanceOf(PluginCheckError)
    return (err as PluginCheckError).problems
  }
  return []
}

describe('checkPlugins', () => {
  it('accepts the registry', () => {
    expect(checkPlugins(PLUGINS, { versions: ['v1', 'v2'] }).map((p) => p.name)).toEqual(
      expect.arrayContaining(['notice']),
    )
  })

  it('returns dependencies first, otherwise keeping registry order', () => {
    const list = [fake('c', { dependencies: ['b'] }), fake('a'), fake('b', { dependencies: ['a'] }), fake('d')]
    expect(checkPlugins(list).map((p) => p.name)).toEqual(['a', 'b', 'c', 'd'])
  })

  it('names a missing dependency', () => {
    expect(() => checkPlugins([fake('a', { dependencies: ['b'] })])).toThrow('plugin "a" depends on missing "b"')
  })

  it('names a dependency cycle with its path', () => {
    expect(() => checkPlugins([fake('a', { dependencies: ['b'] }), fake('b', { dependencies: ['a'] })])).toThrow(
      'dependency cycle: a → b → a',
    )
    expect(
      problemsOf([
        fake('x'),
        fake('a', { dependencies: ['x', 'b'] }),
        fake('b', { dependencies: ['c'] }),
        fake('c', { dependencies: ['a'] }),
      ]),
    ).toEqual(['dependency cycle: a → b → c → a'])
    expect(problemsOf([fake('a', { dependencies: ['a'] })])).toEqual(['plugin "a" depends on itself'])
  })

  it('rejects duplicate names, bad names and versions, and missing descriptive fields — all at once', () => {
    const problems = problemsOf([
      fake('dup'),
      fake('dup'),
      fake('Bad-Name'),
      fake('v', { version: '1.0' }),
      fake('empty', { summary: '', description: '', author: '', tags: [] }),
    ])
    expect(problems).toEqual(
      expect.arrayContaining([
        'plugin "dup" is registered twice',
        expect.stringContaining('plugin "Bad-Name": name must match'),
        'plugin "v": version "1.0" is not x.y.z',
        'plugin "empty": summary must be 1–100 characters',
        'plugin "empty": description must be 1–500 characters',
        'plugin "empty": author must be 1–50 characters',
        expect.stringContaining('plugin "empty": tags must list at least one tag'),
      ]),
    )
    expect(problemsOf([fake('pre', { version: '0.1.0-beta.1' })])).toEqual([])
  })

  it('checks kind/extends, route versions and required dependencies', () => {
    expect(problemsOf([fake('e', { kind: 'extend' })])).toEqual([
      'plugin "e": an "extend" plugin must set extends: "admin"',
    ])
    expect(problemsOf([fake('a', { extends: 'admin' })])).toEqual(['plugin "a": only "extend" plugins set extends'])
    expect(problemsOf([fake('r', { routes: { v2: () => createRouter() } })], ['v1'])).toEqual([
      'plugin "r": has routes for v2, which this app does not serve (v1)',
    ])
    expect(problemsOf([fake('req', { required: true, dependencies: ['opt'] }), fake('opt')])).toEqual([
      'plugin "req" is required but depends on "opt", which is not',
    ])
  })

  it('answers who depends on whom, transitively', () => {
    const list = [fake('a'), fake('b', { dependencies: ['a'] }), fake('c', { dependencies: ['b'] })]
    expect(dependenciesOf('c', list).sort()).toEqual(['a', 'b'])
    expect(dependentsOf('a', list).sort()).toEqual(['b', 'c'])
    expect(dependentsOf('c', list)).toEqual([])
  })
})

describe('createApp', () => {
  it('refuses to build with a bad plugin list', () => {
    expect(() => createApp({ plugins: [...PLUGINS, fake('lonely', { dependencies: ['ghost'] })] })).toThrow(
      'plugin "lonely" depends on missing "ghost"',
    )
    expect(() => createApp({ plugins: [...PLUGINS, fake('notice')] })).toThrow('plugin "notice" is registered twice')
  })

  it('refuses a plugin router with catch-all middleware (it would run for every route)', () => {
    const greedy = fake('greedy', {
      routes: {
        v1: () => {
          const r = createRouter()
          r.use('*', async (_c, next) => next())
          r.get('/greedy', (c) => c.text('hi'))
          return r
        },
      },
    })
    expect(() => createApp({ plugins: [greedy] })).toThrow(/plugin "greedy": its router registers middleware on \/\*/)
  })
})
