/**
 * The `notice` plugin's seed (docs/fba-compatibility.md, "Seed data"): its menu under System with three buttons, and
 * one sample notice. Menus are inserted by the plugin seed runner (plugins/seed.ts); the notice keeps id 1 and is
 * inserted with `ON CONFLICT DO NOTHING`, so a re-run changes nothing and never overwrites an edited row.
 */
import type { BatchItem } from 'drizzle-orm/batch'
import type { PluginMenu, PluginSeedContext } from '../types'
import { NOTICE_PERMS } from './perms'
import { type NewNotice, NoticeType, sysNotice } from './schema'

export const NOTICE_MENU = 'PluginNotice'

const button = (title: string, name: string, perms: string): PluginMenu => ({
  name,
  title,
  parent: NOTICE_MENU,
  type: 2,
  sort: 0,
  perms,
  display: 0,
})

export const NOTICE_MENUS: PluginMenu[] = [
  {
    name: NOTICE_MENU,
    title: 'notice.menu',
    parent: 'System',
    path: '/plugins/notice',
    component: '/plugins/notice/views/index',
    icon: 'fe:notice-push',
    type: 1,
    sort: 9,
    perms: null,
    display: 1,
  },
  button('新增', 'AddNotice', NOTICE_PERMS.add),
  button('修改', 'EditNotice', NOTICE_PERMS.edit),
  button('删除', 'DeleteNotice', NOTICE_PERMS.delete),
]

const SAMPLE_CONTENT = [
  '你好😄',
  '',
  '```',
  "print('fba yyds')",
  '```',
  '',
  '⚡⚡⚡',
  '',
  '| col1 | col2 | col3 |',
  '| ---- | ---- | ---- |',
  '|      |      |      |',
  '|      |      |      |',
  '',
  '* 1',
  '* 2',
  '* 3',
  '',
].join('\n')

export const NOTICE_SEED: readonly NewNotice[] = [
  { id: 1, title: 'hahahahahaahahaha', type: NoticeType.notice, status: 1, content: SAMPLE_CONTENT },
]

export function noticeSeed({ db }: PluginSeedContext): BatchItem<'sqlite'>[] {
  return [
    db
      .insert(sysNotice)
      .values([...NOTICE_SEED])
      .onConflictDoNothing(),
  ]
}
