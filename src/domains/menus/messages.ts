/** The menus's user-facing messages; the app adds them to the catalogue (core/i18n). */
import { defineMessages, type MessageKeysOf } from '../../core/i18n'

export const menusMessages = defineMessages({
  'en-US': {
    'menu.not_found': 'Menu not found',
    'menu.title_exists': 'Menu title already exists',
    'menu.parent_not_found': 'Parent menu not found',
    'menu.parent_self': 'A menu cannot be its own parent',
    'menu.parent_cycle': 'A menu cannot be moved under one of its own sub-menus',
    'menu.has_children': 'The menu has sub-menus and cannot be deleted',
  },
  'zh-CN': {
    'menu.not_found': '菜单不存在',
    'menu.title_exists': '菜单标题已存在',
    'menu.parent_not_found': '父级菜单不存在',
    'menu.parent_self': '禁止关联自身为父级',
    'menu.parent_cycle': '禁止将菜单移动到其子菜单之下',
    'menu.has_children': '菜单下存在子菜单，无法删除',
  },
})

declare module '../../core/i18n' {
  interface ModuleMessages extends MessageKeysOf<typeof menusMessages> {}
}
