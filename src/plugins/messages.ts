/** The plugin system's user-facing messages; the app adds them to the catalogue (core/i18n). */
import { defineMessages, type MessageKeysOf } from '../core/i18n'

export const pluginMessages = defineMessages({
  'en-US': {
    'plugin.not_found': 'Plugin {name} not found',
    'plugin.disabled': 'Plugin {name} is disabled; ask an administrator to enable it',
    'plugin.required': 'Plugin {name} is required and cannot be disabled',
    'plugin.required_uninstall': 'Plugin {name} is required and cannot be uninstalled',
    'plugin.has_dependents': 'Plugin {name} cannot be disabled while {dependents} depend(s) on it; disable them first',
    'plugin.dependency_disabled': 'Plugin {name} needs {dependencies}; enable them first',
    'plugin.install_at_build_time':
      'Plugins are installed at build time: run `stratum plugin add <path>` (or `stratum plugin new <name>`), then migrate, seed and deploy',
    'plugin.uninstall_at_build_time':
      'Plugins are removed at build time: run `stratum plugin remove {name}` and deploy; to switch it off now, disable it',
  },
  'zh-CN': {
    'plugin.not_found': '插件 {name} 不存在',
    'plugin.disabled': '插件 {name} 未启用，请联系系统管理员',
    'plugin.required': '插件 {name} 为必需插件，禁止停用',
    'plugin.required_uninstall': '插件 {name} 为必需插件，禁止卸载',
    'plugin.has_dependents': '插件 {dependents} 依赖插件 {name}，请先停用它们',
    'plugin.dependency_disabled': '插件 {name} 依赖插件 {dependencies}，请先启用它们',
    'plugin.install_at_build_time':
      '插件在构建时安装：请执行 `stratum plugin add <路径>`（或 `stratum plugin new <名称>`），然后迁移、初始化数据并重新部署',
    'plugin.uninstall_at_build_time':
      '插件在构建时卸载：请执行 `stratum plugin remove {name}` 并重新部署；如需立即停用，请禁用该插件',
  },
})

declare module '../core/i18n' {
  interface ModuleMessages extends MessageKeysOf<typeof pluginMessages> {}
}
