/** Request and response shapes of `POST /sys/files/upload` (docs/fba-compatibility.md, "Files"). */
import { z } from '../../http/openapi'

export const UploadFormSchema = z
  .object({
    file: z
      .custom<File>((value) => value instanceof File, { message: 'Expected a file' })
      .openapi({ type: 'string', format: 'binary', description: 'The file (multipart field `file`)' }),
  })
  .openapi('FileUploadForm')

export const UploadedFileSchema = z
  .object({
    url: z.string().openapi({
      description: 'Where the file is served, a path on this server',
      example: '/static/upload/3f2c0e8b9a1d4c5e8f7a6b5c4d3e2f1a.png',
    }),
  })
  .openapi('UploadedFile')
