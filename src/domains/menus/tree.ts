/**
 * Builds trees out of flat rows that point at their parent (`parentId`) — menus here, departments too. fba's
 * `traversal_to_tree`, made generic and total:
 * - siblings are ordered by `sort`, then by `id` (so equal sorts keep a stable order);
 * - a row whose parent is not among the rows (filtered out, or missing) becomes a root, so a filtered list still
 *   shows every matching row;
 * - rows caught in a parent cycle (bad data) are not lost: the cycle is broken at its first row in sort order,
 *   which becomes a root.
 * How a node looks (which keys, `children: null` or no key for leaves) is the caller's `toNode`.
 */

export interface TreeItem {
  id: number
  parentId: number | null
  sort: number
}

const bySortThenId = (a: TreeItem, b: TreeItem) => a.sort - b.sort || a.id - b.id

/**
 * The forest of `items`. `toNode` is called once per row, children first, with its already-built children (an
 * empty array for leaves) in sort order.
 */
export function buildTree<T extends TreeItem, N>(items: readonly T[], toNode: (item: T, children: N[]) => N): N[] {
  const sorted = [...items].sort(bySortThenId)
  const ids = new Set(sorted.map((item) => item.id))
  const childrenOf = new Map<number, T[]>()
  const roots: T[] = []
  for (const item of sorted) {
    if (item.parentId === null || item.parentId === item.id || !ids.has(item.parentId)) {
      roots.push(item)
      continue
    }
    const siblings = childrenOf.get(item.parentId)
    if (siblings) siblings.push(item)
    else childrenOf.set(item.parentId, [item])
  }

  const visited = new Set<number>()
  const build = (item: T): N => {
    visited.add(item.id)
    const children = (childrenOf.get(item.id) ?? []).filter((child) => !visited.has(child.id)).map(build)
    return toNode(item, children)
  }

  const forest: { item: T; node: N }[] = roots.map((item) => ({ item, node: build(item) }))
  // Rows still unvisited sit on a parent cycle: no chain of theirs reaches a root.
  for (const item of sorted) {
    if (!visited.has(item.id)) forest.push({ item, node: build(item) })
  }
  return forest.sort((a, b) => bySortThenId(a.item, b.item)).map((entry) => entry.node)
}

/**
 * Whether giving `id` the parent `parentId` would close a cycle: the new parent is the row itself or one of its
 * descendants. `rows` are every row of the tree (only `id` and `parentId` are read).
 */
export function wouldCreateCycle(
  rows: readonly Pick<TreeItem, 'id' | 'parentId'>[],
  id: number,
  parentId: number | null,
): boolean {
  if (parentId === null) return false
  const parentOf = new Map(rows.map((row) => [row.id, row.parentId]))
  const seen = new Set<number>()
  for (let current: number | null | undefined = parentId; current != null; current = parentOf.get(current)) {
    if (current === id) return true
    if (seen.has(current)) return false // an existing cycle that does not involve `id`
    seen.add(current)
  }
  return false
}

/** `id` and the ids of all its descendants (every row whose chain of parents reaches `id`). */
export function subtreeIds(rows: readonly Pick<TreeItem, 'id' | 'parentId'>[], id: number): Set<number> {
  const childrenOf = new Map<number, number[]>()
  for (const row of rows) {
    if (row.parentId === null) continue
    const list = childrenOf.get(row.parentId)
    if (list) list.push(row.id)
    else childrenOf.set(row.parentId, [row.id])
  }
  const result = new Set<number>([id])
  const stack = [id]
  while (stack.length) {
    for (const child of childrenOf.get(stack.pop() as number) ?? []) {
      if (!result.has(child)) {
        result.add(child)
        stack.push(child)
      }
    }
  }
  return result
}
