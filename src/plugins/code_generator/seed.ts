/**
 * The code generator's menu (docs/fba-compatibility.md, "Seed data"): fba's top-level PluginCodeGenerator page and its
 * eight buttons, with the column buttons carrying the codes the API checks (`codegen:column:*`, not fba's
 * `codegen:model:*`). fba's sample business (`sys_opera_log`) is not seeded: generating it would duplicate the logs
 * domain.
 */
import type { PluginMenu } from '../types'
import { BUSINESS_PERMS, CODEGEN_PERMS, COLUMN_PERMS } from './perms'

export const CODEGEN_MENU = 'PluginCodeGenerator'

const button = (title: string, name: string, perms: string): PluginMenu => ({
  name,
  title,
  parent: CODEGEN_MENU,
  type: 2,
  sort: 0,
  perms,
  display: 0,
})

export const CODEGEN_MENUS: PluginMenu[] = [
  {
    name: CODEGEN_MENU,
    title: 'code_generator.menu',
    path: '/plugins/code-generator',
    component: '/plugins/code_generator/views/index',
    icon: 'tabler:code',
    type: 1,
    sort: 10,
    perms: null,
    display: 1,
  },
  button('新增业务', 'AddGenCodeBusiness', BUSINESS_PERMS.add),
  button('修改业务', 'EditGenCodeBusiness', BUSINESS_PERMS.edit),
  button('删除业务', 'DeleteGenCodeBusiness', BUSINESS_PERMS.delete),
  button('新增模型', 'AddGenCodeModel', COLUMN_PERMS.add),
  button('修改模型', 'EditGenCodeModel', COLUMN_PERMS.edit),
  button('删除模型', 'DeleteGenCodeModel', COLUMN_PERMS.delete),
  button('导入', 'ImportGenCode', CODEGEN_PERMS.import),
  button('写入', 'WriteGenCode', CODEGEN_PERMS.write),
]
