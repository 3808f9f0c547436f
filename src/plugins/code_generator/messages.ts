/** The code generator's user-facing messages (fba's texts, localized); the app adds them to the catalogue (core/i18n). */
import { defineMessages, type MessageKeysOf } from '../../core/i18n'

export const codeGeneratorMessages = defineMessages({
  'en-US': {
    'codegen.business_not_found': 'Code generation business not found',
    'codegen.business_exists': 'A code generation business for this table already exists',
    'codegen.column_not_found': 'Code generation model column not found',
    'codegen.column_exists': 'A model column with this name already exists',
    'codegen.invalid_name': '{field} must start with an English letter and hold only English letters and underscores',
    'codegen.table_not_found': 'Database table not found',
    'codegen.table_exists': 'A business for the same database table already exists',
    'codegen.development_only': 'Only available in development (ENVIRONMENT=development)',
    'codegen.cannot_generate': 'Cannot generate code: {reason}',
    'codegen.file_exists': 'Generated files already exist: {paths} (write again with force=true to overwrite them)',
    'codegen.no_writer':
      'No local code writer is running: start the API with `npm run dev`, or use `stratum gen` (docs/codegen.md)',
  },
  'zh-CN': {
    'codegen.business_not_found': '代码生成业务不存在',
    'codegen.business_exists': '代码生成业务已存在',
    'codegen.column_not_found': '代码生成模型列不存在',
    'codegen.column_exists': '模型列已存在',
    'codegen.invalid_name': '{field} 必须以英文字母开头且只能包含英文字母和下划线',
    'codegen.table_not_found': '数据库表不存在',
    'codegen.table_exists': '已存在相同数据库表业务',
    'codegen.development_only': '仅允许在开发环境（ENVIRONMENT=development）下使用',
    'codegen.cannot_generate': '无法生成代码：{reason}',
    'codegen.file_exists': '生成的文件已存在：{paths}（使用 force=true 再次写入以覆盖）',
    'codegen.no_writer': '本地代码写入服务未运行：请用 `npm run dev` 启动，或使用 `stratum gen`（docs/codegen.md）',
  },
})

declare module '../../core/i18n' {
  interface ModuleMessages extends MessageKeysOf<typeof codeGeneratorMessages> {}
}
