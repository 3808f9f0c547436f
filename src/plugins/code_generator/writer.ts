/**
 * Writing generated files from the Worker: development only (anything else is a 403), through the local writer of
 * `stratum dev` (tools/cli/lib/codegen-writer.ts), within a deadline. The writer refuses files that exist unless
 * `force` (a 409 naming them).
 */
import { z } from '@hono/zod-openapi'
import { ConflictError, ForbiddenError, ServiceUnavailableError } from '../../core/errors'
import { Deadline } from '../../infra/deadline'
import type { Registration } from './core/generate'
import type { CodegenSettings } from './settings'

/** What the writer receives (tools/cli/lib/codegen-writer.ts reads the same shape). */
export interface WriteRequest {
  files: Record<string, string>
  registration: Registration
  table: string
  force: boolean
}

const WriterAnswerSchema = z.object({
  written: z.array(z.string()).optional(),
  existing: z.array(z.string()).optional(),
})

export function assertDevelopment(environment: string): void {
  if (environment !== 'development') throw new ForbiddenError('codegen.development_only')
}

/** Sends the files to the local writer; the paths it wrote. */
export async function writeThroughLocalWriter(settings: CodegenSettings, request: WriteRequest): Promise<string[]> {
  const url = settings.CODEGEN_WRITER_URL
  if (!url) throw new ServiceUnavailableError('codegen.no_writer')
  const deadline = new Deadline('codegen-writer', settings.CODEGEN_WRITER_TIMEOUT_MS)
  const res = await deadline.fetch()(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${settings.CODEGEN_WRITER_TOKEN}` },
    body: JSON.stringify(request),
  })
  const answer = WriterAnswerSchema.safeParse(await res.json().catch(() => ({})))
  if (res.status === 409 && answer.success)
    throw new ConflictError('codegen.file_exists', { params: { paths: (answer.data.existing ?? []).join(', ') } })
  if (!res.ok || !answer.success) throw deadline.failing(res.status)
  return answer.data.written ?? []
}
