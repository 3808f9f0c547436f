/** The files domain's user-facing messages; the app adds them to the catalogue (core/i18n). */
import { defineMessages, type MessageKeysOf } from '../../core/i18n'

export const filesMessages = defineMessages({
  'en-US': {
    'file.format_unsupported': 'File format {ext} is not supported',
    'file.image_too_large': 'The image exceeds the maximum size, please choose another',
    'file.video_too_large': 'The video exceeds the maximum size, please choose another',
    'file.content_mismatch': 'The file content is not a valid {ext} file',
    'file.not_found': 'File not found',
  },
  'zh-CN': {
    'file.format_unsupported': '此文件格式 {ext} 暂不支持',
    'file.image_too_large': '图片超出最大限制，请重新选择',
    'file.video_too_large': '视频超出最大限制，请重新选择',
    'file.content_mismatch': '文件内容不是有效的 {ext} 文件',
    'file.not_found': '文件不存在',
  },
})

declare module '../../core/i18n' {
  interface ModuleMessages extends MessageKeysOf<typeof filesMessages> {}
}
