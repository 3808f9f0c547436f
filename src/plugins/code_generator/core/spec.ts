/**
 * The generator's input: a business (fba's `gen_business` row) with its columns (`gen_column` rows), as stored by the
 * plugin or read from a `stratum gen --spec <file.json>` file. Field names are fba's (snake_case).
 */
import { z } from 'zod'
import { BUSINESS_NAME } from './naming'

export const API_VERSIONS = ['v1', 'v2'] as const
export type GenApiVersion = (typeof API_VERSIONS)[number]

export const GenColumnSpecSchema = z.object({
  name: z.string().min(1).max(64),
  comment: z.string().max(256).nullish().default(null),
  type: z.string().min(1).max(32),
  default: z.string().nullish().default(null),
  sort: z.number().int().nullish().default(1),
  length: z.number().int().min(0).default(0),
  is_pk: z.boolean().default(false),
  is_nullable: z.boolean().default(false),
})

export const GenBusinessSpecSchema = z.object({
  app_name: z.string().regex(BUSINESS_NAME).max(64),
  table_name: z.string().regex(BUSINESS_NAME).max(256),
  doc_comment: z.string().min(1).max(256),
  table_comment: z.string().max(256).nullish().default(null),
  class_name: z.string().max(64).nullish().default(null),
  schema_name: z.string().max(64).nullish().default(null),
  filename: z.string().max(64).nullish().default(null),
  datetime_mixin: z.boolean().default(true),
  api_version: z.enum(API_VERSIONS).default('v1'),
  tag: z.string().max(64).nullish().default(null),
  gen_path: z.string().max(256).nullish().default(null),
  remark: z.string().nullish().default(null),
  columns: z.array(GenColumnSpecSchema).min(1),
})

export type GenColumnSpec = z.output<typeof GenColumnSpecSchema>
export type GenBusinessSpec = z.output<typeof GenBusinessSpecSchema>
export type GenBusinessSpecInput = z.input<typeof GenBusinessSpecSchema>

/** A spec the generator cannot turn into code; `message` names the business or column and says what to change. */
export class CodegenError extends Error {
  override readonly name = 'CodegenError'
  constructor(message: string) {
    super(message)
  }
}
