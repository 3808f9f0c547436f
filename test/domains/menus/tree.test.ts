import { describe, expect, it } from 'vitest'
import { buildTree, subtreeIds, wouldCreateCycle } from '../../../src/domains/menus/tree'

interface Row {
  id: number
  parentId: number | null
  sort: number
}

interface Node {
  id: number
  children: Node[]
}

const toNode = (row: Row, children: Node[]): Node => ({ id: row.id, children })
const row = (id: number, parentId: number | null, sort = 0): Row => ({ id, parentId, sort })

/** `1(2,3)` style, for compact assertions. */
const show = (nodes: Node[]): string =>
  nodes.map((n) => (n.children.length ? `${n.id}(${show(n.children)})` : String(n.id))).join(',')

describe('buildTree', () => {
  it('nests children under their parents, siblings ordered by sort then id', () => {
    const rows = [row(4, null, 1), row(1, null, 0), row(3, 1, 1), row(2, 1, 1), row(5, 1, 0), row(6, 5, 0)]
    expect(show(buildTree(rows, toNode))).toBe('1(5(6),2,3),4')
  })

  it('makes a row whose parent is not in the list a root, in sort order among the roots', () => {
    const rows = [row(1, null, 5), row(2, 99, 0), row(3, 2, 0), row(4, 77, 9)]
    expect(show(buildTree(rows, toNode))).toBe('2(3),1,4')
  })

  it('keeps rows on a parent cycle, breaking the cycle at its first row', () => {
    const rows = [row(1, 2, 0), row(2, 1, 1), row(3, 3, 0), row(4, null, 2)]
    // 3 is its own parent: a root. 1 ↔ 2: broken at 1 (sort 0), 2 hangs under it.
    expect(show(buildTree(rows, toNode))).toBe('1(2),3,4')
    expect(
      buildTree(rows, toNode)
        .flatMap(function flat(n: Node): number[] {
          return [n.id, ...n.children.flatMap(flat)]
        })
        .sort(),
    ).toEqual([1, 2, 3, 4])
  })

  it('passes every node its built children, an empty list for leaves', () => {
    const seen: [number, number[]][] = []
    buildTree([row(1, null), row(2, 1), row(3, 1, 1)], (r, children: number[]) => {
      seen.push([r.id, children])
      return r.id
    })
    expect(seen).toEqual([
      [2, []],
      [3, []],
      [1, [2, 3]],
    ])
  })

  it('returns [] for no rows and does not mutate its input', () => {
    expect(buildTree([], toNode)).toEqual([])
    const rows = [row(2, null, 1), row(1, null, 0)]
    buildTree(rows, toNode)
    expect(rows.map((r) => r.id)).toEqual([2, 1])
  })
})

describe('wouldCreateCycle', () => {
  const rows = [row(1, null), row(2, 1), row(3, 2), row(4, null)]

  it('refuses the row itself and its descendants as parent', () => {
    expect(wouldCreateCycle(rows, 1, 1)).toBe(true)
    expect(wouldCreateCycle(rows, 1, 2)).toBe(true)
    expect(wouldCreateCycle(rows, 1, 3)).toBe(true)
    expect(wouldCreateCycle(rows, 2, 3)).toBe(true)
  })

  it('allows a root, an ancestor, a sibling branch or an unknown parent', () => {
    expect(wouldCreateCycle(rows, 3, null)).toBe(false)
    expect(wouldCreateCycle(rows, 3, 1)).toBe(false)
    expect(wouldCreateCycle(rows, 2, 4)).toBe(false)
    expect(wouldCreateCycle(rows, 2, 99)).toBe(false)
  })

  it('terminates on data that already holds a cycle', () => {
    expect(wouldCreateCycle([row(1, 2), row(2, 1), row(3, null)], 3, 1)).toBe(false)
  })
})

describe('subtreeIds', () => {
  it('is the row and everything below it', () => {
    const rows = [row(1, null), row(2, 1), row(3, 2), row(4, null), row(5, 1)]
    expect([...subtreeIds(rows, 1)].sort()).toEqual([1, 2, 3, 5])
    expect([...subtreeIds(rows, 3)]).toEqual([3])
    expect([...subtreeIds([row(1, 2), row(2, 1)], 1)].sort()).toEqual([1, 2])
  })
})
