/**
 * `POST /sys/files/upload` (docs/fba-compatibility.md, "Files"; docs/files.md): fba's multipart upload into the
 * uploads bucket. Its body limit is the largest allowed file plus framing, not `BODY_LIMIT_BYTES`.
 */
import { defineRoute, jsonEnvelope } from '../../http/openapi'
import { ok } from '../../http/respond'
import { createRouter } from '../../http/router'
import { storageOf } from '../../http/storage'
import { UploadedFileSchema, UploadFormSchema } from './dto'
import { FILE_PERMS } from './perms'
import { UPLOAD_BODY_LIMIT } from './rules'
import { storeUpload } from './service'

const upload = defineRoute({
  method: 'post',
  path: '/sys/files/upload',
  tags: ['Files'],
  summary: 'Upload an image (jpg, jpeg, png, gif, webp; ≤ 5 MB) or a video (mp4, mov, avi, flv; ≤ 20 MB)',
  access: { permission: FILE_PERMS.upload },
  bodyLimit: UPLOAD_BODY_LIMIT,
  errors: [400, 413],
  request: { body: { content: { 'multipart/form-data': { schema: UploadFormSchema } }, required: true } },
  responses: { 200: jsonEnvelope(UploadedFileSchema, 'Where the stored file is served') },
})

export function fileRoutes() {
  return createRouter().openapi(upload, async (c) => {
    const { file } = c.req.valid('form')
    return ok(c, await storeUpload(storageOf(c), file))
  })
}
