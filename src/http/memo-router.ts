/**
 * Hono's TrieRouter with a bounded memo of its answers for paths without parameters.
 *
 * Why: the admin API has ~370 routes, with `/:pk` routes next to static siblings (`/users/me`), which Hono's
 * RegExpRouter cannot hold — so the app runs on the trie, whose search is ~1 µs of every request. The hot requests hit
 * static paths (health, `/users/me`, the sidebar, dictionaries) whose answers cannot change once the routes are
 * registered, so those are remembered. Answers with parameters are not (their keys are unbounded) — unless the path
 * is itself a registered static route: `/users/me` also matches `/users/:pk`, and its answer (params included) is
 * as fixed as any other static one. The memo is emptied when full, so a scanner's random paths cannot grow it.
 */
import type { Params, Result, Router } from 'hono/router'
import { METHOD_NAME_ALL } from 'hono/router'
import { TrieRouter } from 'hono/router/trie-router'

const MEMO_SIZE = 512

export class MemoRouter<T> implements Router<T> {
  readonly name = 'MemoRouter'
  readonly #trie = new TrieRouter<T>()
  /** Per method, per path (no key concatenation on the hot path). */
  readonly #memo = new Map<string, Map<string, Result<T>>>()
  /** Registered routes without parameters or wildcards, per method: their answers are fixed, whatever else matches. */
  readonly #staticRoutes = new Map<string, Set<string>>()
  #size = 0

  add(method: string, path: string, handler: T): void {
    this.#clear()
    this.#trie.add(method, path, handler)
    if (!/[:*]/.test(path)) {
      const paths = this.#staticRoutes.get(method) ?? new Set()
      this.#staticRoutes.set(method, paths.add(path))
    }
  }

  match(method: string, path: string): Result<T> {
    let byPath = this.#memo.get(method)
    const known = byPath?.get(path)
    if (known) return known
    const result = this.#trie.match(method, path)
    if (withoutParams(result as [[T, Params][]]) || this.#isStaticRoute(method, path)) {
      if (this.#size >= MEMO_SIZE) this.#clear()
      if (!byPath || this.#size === 0) {
        byPath = this.#memo.get(method) ?? new Map()
        this.#memo.set(method, byPath)
      }
      byPath.set(path, result)
      this.#size++
    }
    return result
  }

  #isStaticRoute(method: string, path: string): boolean {
    return (
      this.#staticRoutes.get(method)?.has(path) === true || this.#staticRoutes.get(METHOD_NAME_ALL)?.has(path) === true
    )
  }

  #clear(): void {
    this.#memo.clear()
    this.#size = 0
  }
}

function withoutParams<T>([matches]: [[T, Params][]]): boolean {
  for (const [, params] of matches) for (const _ in params) return false
  return true
}
