/**
 * The `dict` plugin's seed (docs/fba-compatibility.md, "Seed data"): 12 dictionary types and their 36 values (all
 * enabled). Inserted with `ON CONFLICT DO NOTHING` (by id or unique key), types before values, so a re-run changes
 * nothing and never overwrites an edited row.
 */
import type { BatchItem } from 'drizzle-orm/batch'
import type { PluginSeedContext } from '../types'
import { type NewDictData, type NewDictType, sysDictData, sysDictType } from './schema'

type TypeRow = [id: number, name: string, code: string, remark: string]

const TYPES: TypeRow[] = [
  [1, '通用状态', 'sys_status', '系统通用状态：1/0'],
  [2, '通用开关', 'sys_choose', '系统通用开关：true/false'],
  [3, '菜单类型', 'sys_menu_type', '系统菜单类型'],
  [4, '登录状态', 'sys_login_status', '用户登录状态'],
  [5, '数据规则运算符', 'sys_data_rule_operator', '数据权限规则运算符'],
  [6, '数据规则表达式', 'sys_data_rule_expression', '数据权限规则表达式'],
  [7, '前端参数配置', 'sys_frontend_config', '前端参数配置类型'],
  [8, '任务策略类型', 'task_strategy_type', '定时任务策略类型'],
  [9, '任务周期类型', 'task_period_type', '定时任务周期类型'],
  [10, '通知公告', 'notice', '通知类型'],
  [11, '在线状态', 'user_online_status', '用户在线状态'],
  [12, '插件类型', 'sys_plugin_type', '插件类型'],
]

type DataRow = [id: number, typeId: number, label: string, value: string, color: string, sort: number, remark: string]

const DATA: DataRow[] = [
  [1, 1, '停用', '0', 'red', 1, '停用状态'],
  [2, 1, '正常', '1', 'green', 2, '正常状态'],
  [3, 2, '关闭', 'false', 'error', 1, '关闭状态'],
  [4, 2, '开启', 'true', 'success', 2, '开启状态'],
  [5, 3, '目录', '0', 'orange', 1, '菜单目录'],
  [6, 3, '菜单', '1', 'default', 2, '普通菜单'],
  [7, 3, '按钮', '2', 'processing', 3, '菜单按钮'],
  [8, 3, '内嵌', '3', 'cyan', 4, '内嵌页面'],
  [9, 3, '外链', '4', 'purple', 5, '外部链接'],
  [10, 4, '失败', '0', 'error', 1, '登录失败状态'],
  [11, 4, '成功', '1', 'success', 2, '登录成功状态'],
  [12, 5, 'AND', '0', 'green', 1, '逻辑 AND 运算符'],
  [13, 5, 'OR', '1', 'gold', 2, '逻辑 OR 运算符'],
  [14, 6, '等于(==)', '0', 'success', 1, '等于比较表达式'],
  [15, 6, '不等于(!=)', '1', 'error', 2, '不等于比较表达式'],
  [16, 6, '大于(>)', '2', 'magenta', 3, '大于比较表达式'],
  [17, 6, '大于等于(>=)', '3', 'volcano', 4, '大于等于比较表达式'],
  [18, 6, '小于(<)', '4', 'gold', 5, '小于比较表达式'],
  [19, 6, '小于等于(<=)', '5', 'orange', 6, '小于等于比较表达式'],
  [20, 6, '包含(in)', '6', 'purple', 7, '包含表达式'],
  [21, 6, '不包含(not in)', '7', 'error', 8, '不包含表达式'],
  [22, 7, '否', '0', 'red', 1, '不是前端参数配置'],
  [23, 7, '是', '1', 'green', 2, '是前端参数配置'],
  [24, 8, 'Interval（间隔）', '0', 'cyan', 1, '时间间隔策略'],
  [25, 8, 'Crontab（计划）', '1', 'purple', 2, '时间表达式策略'],
  [26, 9, '天', 'days', 'processing', 1, '定时任务周期类型-天'],
  [27, 9, '小时', 'hours', 'magenta', 2, '定时任务周期类型-小时'],
  [28, 9, '分钟', 'minutes', 'volcano', 3, '定时任务周期类型-分钟'],
  [29, 9, '秒', 'seconds', 'gold', 4, '定时任务周期类型-秒'],
  [30, 9, '微妙', 'microseconds', 'warning', 5, '定时任务周期类型-微妙'],
  [31, 10, '通知', '0', 'magenta', 1, '通知类型'],
  [32, 10, '公告', '1', 'purple', 2, '公告类型'],
  [33, 11, '离线', '0', 'warning', 1, '用户离线状态'],
  [34, 11, '在线', '1', 'success', 2, '用户在线状态'],
  [35, 12, '压缩包', '0', 'gold', 1, '插件类型-压缩包'],
  [36, 12, 'GIT', '1', 'processing', 2, '插件类型-GIT'],
]

export const DICT_TYPE_SEED: readonly NewDictType[] = TYPES.map(([id, name, code, remark]) => ({
  id,
  name,
  code,
  remark,
}))

const codeOf = new Map(TYPES.map(([id, , code]) => [id, code]))

export const DICT_DATA_SEED: readonly NewDictData[] = DATA.map(([id, typeId, label, value, color, sort, remark]) => ({
  id,
  typeId,
  typeCode: codeOf.get(typeId) ?? '',
  label,
  value,
  color,
  sort,
  status: 1,
  remark,
}))

/** The seed rows as insert-or-ignore statements, owners first (run in the seed runner's batch). */
export function dictSeed({ db }: PluginSeedContext): BatchItem<'sqlite'>[] {
  return [
    db
      .insert(sysDictType)
      .values([...DICT_TYPE_SEED])
      .onConflictDoNothing(),
    db
      .insert(sysDictData)
      .values([...DICT_DATA_SEED])
      .onConflictDoNothing(),
  ]
}
