/**
 * The `dict` plugin (fba's `dict`, required): dictionary types and values the admin UI reads labels from. Extends the
 * admin API under `/api/v1/sys/dict-types` and `/api/v1/sys/dict-datas`. See ./README.md.
 */
import { lazyRoutes } from '../../http/lazy-routes'
import { definePlugin } from '../types'
import { dictMessages } from './messages'
import { DICT_PERMS } from './perms'
import { sysDictData, sysDictType } from './schema'
import { dictSeed } from './seed'

const MENU = 'PluginDict'

const button = (title: string, name: string, perms: string) =>
  ({ name, title, parent: MENU, type: 2, sort: 0, perms, display: 0 }) as const

export const dictPlugin = definePlugin({
  name: 'dict',
  version: '0.0.8',
  summary: 'Data dictionaries',
  description: 'Dictionary types and their values, which the admin UI uses to label statuses, types and options.',
  author: 'Stratum',
  tags: ['other'],
  kind: 'extend',
  extends: 'admin',
  required: true,
  messages: dictMessages,
  routes: { v1: lazyRoutes(() => import('./routes.v1').then((m) => m.dictRoutes)) },
  tables: { sysDictType, sysDictData },
  menus: [
    {
      name: MENU,
      title: 'dict.menu',
      parent: 'System',
      path: '/plugins/dict',
      component: '/plugins/dict/views/index',
      icon: 'fluent-mdl2:dictionary',
      type: 1,
      sort: 8,
      perms: null,
      display: 1,
    },
    button('新增类型', 'AddDictType', DICT_PERMS.typeAdd),
    button('修改类型', 'EditDictType', DICT_PERMS.typeEdit),
    button('删除类型', 'DeleteDictType', DICT_PERMS.typeDelete),
    button('新增数据', 'AddDictData', DICT_PERMS.dataAdd),
    button('修改数据', 'EditDictData', DICT_PERMS.dataEdit),
    button('删除数据', 'DeleteDictData', DICT_PERMS.dataDelete),
  ],
  seed: dictSeed,
})

export default dictPlugin
