import { z } from '@hono/zod-openapi'
import { safeText } from '../../core/schemas'
import { UserInfoSchema } from '../users/dto'

export const LoginBodySchema = z
  .object({
    username: z.string().min(1).max(64).check(safeText).openapi({ example: 'admin' }),
    password: z.string().min(1).max(128).openapi({ example: '123456' }),
    uuid: z.string().max(64).nullish().openapi({ description: 'Captcha id from GET /auth/captcha' }),
    captcha: z.string().max(16).nullish(),
  })
  .openapi('LoginBody')

export const SwaggerLoginQuerySchema = z.object({
  username: z.string().min(1).max(64).check(safeText),
  password: z.string().min(1).max(128),
  uuid: z.string().max(64).optional().openapi({ description: 'With the captcha on: the id from GET /auth/captcha' }),
  captcha: z
    .string()
    .max(16)
    .optional()
    .openapi({ description: 'With the captcha on: the code shown at GET /auth/captcha/{uuid}/image' }),
})

export const CaptchaImageParamSchema = z.object({
  uuid: z.uuid().openapi({ param: { name: 'uuid', in: 'path' }, description: 'Captcha id from GET /auth/captcha' }),
})

export const CaptchaSchema = z
  .object({
    is_enabled: z.boolean(),
    expire_seconds: z.number().int(),
    uuid: z.string(),
    image: z.string().openapi({ description: 'Base64 PNG, without a data: prefix' }),
  })
  .openapi('Captcha')

export const AccessTokenSchema = z
  .object({
    access_token: z.string(),
    access_token_expire_time: z.string().openapi({ example: '2026-11-22 03:00:00' }),
    session_uuid: z.string(),
  })
  .openapi('AccessToken')

export const LoginSchema = AccessTokenSchema.extend({
  password_expire_days_remaining: z.number().int().nullable(),
  user: UserInfoSchema,
}).openapi('LoginResult')

export const SwaggerTokenSchema = z
  .object({ access_token: z.string(), token_type: z.literal('Bearer'), user: UserInfoSchema })
  .openapi('SwaggerToken')
