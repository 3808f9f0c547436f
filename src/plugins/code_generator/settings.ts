/**
 * The code generator's settings, from the Worker's vars (docs/codegen.md). The local writer is the
 * `stratum dev` process: it writes the files of `POST /code-generation/generations/{pk}` into the checkout (a Worker
 * has no file system), and `npm run dev` puts its URL and token into `.dev.vars`.
 */
import { z } from '@hono/zod-openapi'
import { envSettings } from '../env-settings'

export const codegenSettingsSchema = z.object({
  /** The download's file name, without `.zip` (fba's `CODE_GENERATOR_DOWNLOAD_ZIP_FILENAME`). */
  CODE_GENERATOR_DOWNLOAD_ZIP_FILENAME: z
    .string()
    .regex(/^[\w.-]+$/)
    .default('stratum_generator'),
  /** The local writer's URL (set by `npm run dev`); none: writing answers 503. */
  CODEGEN_WRITER_URL: z.url().optional(),
  /** Bearer token the local writer checks. */
  CODEGEN_WRITER_TOKEN: z.string().default(''),
  /** Deadline of one write (the files, the module list and drizzle-kit's migration). */
  CODEGEN_WRITER_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(30_000),
})

export type CodegenSettings = z.infer<typeof codegenSettingsSchema>

export const codegenEnvSettings = envSettings(codegenSettingsSchema)
