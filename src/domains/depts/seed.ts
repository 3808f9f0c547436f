/** The one seeded department (contract §6). */
import type { NewDept } from './schema'

export const DEPT_SEED: readonly NewDept[] = [
  { id: 1, name: '测试', sort: 0, leader: null, phone: null, email: null, status: 1, delFlag: false, parentId: null },
]
