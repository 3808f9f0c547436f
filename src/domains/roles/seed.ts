/**
 * The seeded role (docs/fba-compatibility.md, "Seed data"): `测试`, with menus {1 Dashboard, 2 Analytics,
 * 3 Workspace, 50 Profile} and scopes {1, 2}.
 */
import type { NewRole, NewRoleDataScope, NewRoleMenu } from './schema'

export const ROLE_SEED: readonly NewRole[] = [{ id: 1, name: '测试', status: 1, isFilterScopes: true, remark: null }]

export const ROLE_MENU_SEED: readonly NewRoleMenu[] = [1, 2, 3, 50].map((menuId) => ({ roleId: 1, menuId }))

export const ROLE_DATA_SCOPE_SEED: readonly NewRoleDataScope[] = [1, 2].map((dataScopeId) => ({
  roleId: 1,
  dataScopeId,
}))
