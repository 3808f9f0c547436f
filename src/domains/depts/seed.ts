/** The one seeded department (docs/fba-compatibility.md, "Seed data"). */
import type { NewDept } from './schema'

export const DEPT_SEED: readonly NewDept[] = [
  { id: 1, name: '测试', sort: 0, leader: null, phone: null, email: null, status: 1, delFlag: false, parentId: null },
]
