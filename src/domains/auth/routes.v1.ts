/**
 * `/auth/*` (docs/fba-compatibility.md, "Authentication"): captcha, login (+ the docs-UI login), refresh via HttpOnly
 * cookie, logout, and the caller's permission codes.
 */
import type { Context } from 'hono'
import { deleteCookie, getCookie, setCookie } from 'hono/cookie'
import { createMiddleware } from 'hono/factory'
import { isProduction, swaggerLoginOn } from '../../core/config'
import { formatDateTime } from '../../core/datetime'
import { NotFoundError } from '../../core/errors'
import type { AppEnv } from '../../http/context'
import { defineRoute, jsonEnvelope, z } from '../../http/openapi'
import { ok } from '../../http/respond'
import { createRouter } from '../../http/router'
import { toUserInfo } from '../users/dto'
import { bearerToken } from './authenticate'
import { captchaPng, createCaptcha } from './captcha'
import { authDeps } from './deps'
import {
  AccessTokenSchema,
  CaptchaImageParamSchema,
  CaptchaSchema,
  LoginBodySchema,
  LoginSchema,
  SwaggerLoginQuerySchema,
  SwaggerTokenSchema,
} from './dto'
import { AuthService, type IssuedTokens } from './service'

/** fba's cookie name, kept so existing deployments of the admin UI need no change. */
export const REFRESH_COOKIE = 'fba_refresh_token'
/** Sent only to API paths (both `/api/v1/...` and the header-versioned `/api/...`). */
const REFRESH_COOKIE_PATH = '/api'

/** The refresh-token cookie of a new session (also set by other sign-ins, e.g. the oauth2 plugin's callback). */
export function setRefreshCookie(c: Context<AppEnv>, tokens: IssuedTokens): void {
  if (!tokens.refreshToken || !tokens.refreshExp) return
  setCookie(c, REFRESH_COOKIE, tokens.refreshToken, {
    httpOnly: true,
    secure: isProduction(c.get('config')),
    sameSite: 'Lax',
    path: REFRESH_COOKIE_PATH,
    maxAge: Math.max(0, tokens.refreshExp - Math.floor(Date.now() / 1000)),
    expires: new Date(tokens.refreshExp * 1000),
  })
}

const accessTokenData = (tokens: IssuedTokens) => ({
  access_token: tokens.accessToken,
  access_token_expire_time: formatDateTime(new Date(tokens.accessExp * 1000)) ?? '',
  session_uuid: tokens.session.sid,
})

const captcha = defineRoute({
  method: 'get',
  path: '/auth/captcha',
  tags: ['Auth'],
  summary: 'Get a login captcha',
  access: 'public',
  rateLimit: { name: 'auth.captcha', rates: 'RATE_LIMIT_CAPTCHA', failClosed: true },
  responses: { 200: jsonEnvelope(CaptchaSchema, 'Captcha image and id') },
})

const captchaImage = defineRoute({
  method: 'get',
  path: '/auth/captcha/{uuid}/image',
  tags: ['Auth'],
  summary: 'The PNG of a captcha, once (open it in a browser tab to read the code for the docs-UI login)',
  access: 'public',
  rateLimit: { name: 'auth.captcha', rates: 'RATE_LIMIT_CAPTCHA', failClosed: true },
  request: { params: CaptchaImageParamSchema },
  responses: {
    200: {
      description: 'The captcha image',
      content: { 'image/png': { schema: z.string().openapi({ type: 'string', format: 'binary' }) } },
    },
  },
})

/**
 * The docs-UI login is off in production unless `SWAGGER_LOGIN_ENABLED` says otherwise; then it answers like a path
 * that does not exist. It runs before validation, so a disabled route tells nothing about its parameters.
 */
const swaggerLoginGate = createMiddleware<AppEnv>(async (c, next) => {
  if (!swaggerLoginOn(c.get('config'))) {
    throw new NotFoundError('error.route_not_found', { params: { method: c.req.method, path: c.req.path } })
  }
  await next()
})

const login = defineRoute({
  method: 'post',
  path: '/auth/login',
  tags: ['Auth'],
  summary: 'Log in; sets the refresh-token cookie',
  access: 'public',
  // Counted in the login's first Redis request (AuthService.login): one round trip fewer.
  rateLimit: { name: 'auth.login', rates: 'RATE_LIMIT_LOGIN', failClosed: true, carried: true },
  errors: [403],
  request: { body: { content: { 'application/json': { schema: LoginBodySchema } }, required: true } },
  responses: { 200: jsonEnvelope(LoginSchema, 'Access token and user') },
})

const swaggerLogin = defineRoute({
  method: 'post',
  path: '/auth/login/swagger',
  tags: ['Auth'],
  summary: 'Log in from the docs UI (no refresh token; body not enveloped)',
  description:
    'Off in production unless `SWAGGER_LOGIN_ENABLED=true`. With the captcha on: call `GET /auth/captcha`, open ' +
    '`/api/v1/auth/captcha/{uuid}/image` in a browser tab, and send `uuid` and `captcha` with the credentials.',
  access: 'public',
  // Counted in the login's first Redis request (AuthService.login): one round trip fewer.
  rateLimit: { name: 'auth.login', rates: 'RATE_LIMIT_LOGIN', failClosed: true, carried: true },
  middleware: [swaggerLoginGate],
  errors: [403, 404],
  request: { query: SwaggerLoginQuerySchema },
  responses: { 200: { description: 'Bearer token', content: { 'application/json': { schema: SwaggerTokenSchema } } } },
})

const refresh = defineRoute({
  method: 'post',
  path: '/auth/refresh',
  tags: ['Auth'],
  summary: 'Rotate the refresh-token cookie and issue a new access token',
  access: 'public',
  errors: [401, 403],
  responses: { 200: jsonEnvelope(AccessTokenSchema, 'New access token') },
})

const logout = defineRoute({
  method: 'post',
  path: '/auth/logout',
  tags: ['Auth'],
  summary: 'End the session (works with an expired or missing access token)',
  access: 'public',
  responses: { 200: jsonEnvelope(z.null(), 'Logged out') },
})

const codes = defineRoute({
  method: 'get',
  path: '/auth/codes',
  tags: ['Auth'],
  summary: "The caller's permission codes",
  access: 'authenticated',
  responses: { 200: jsonEnvelope(z.array(z.string()), 'Permission codes') },
})

export function authRoutes() {
  return createRouter()
    .openapi(captcha, async (c) => {
      const deps = authDeps(c)
      return ok(c, await createCaptcha(deps.redis, deps.keys, (await deps.settings()).login))
    })
    .openapi(captchaImage, async (c) => {
      const deps = authDeps(c)
      const png = await captchaPng(deps.redis, deps.keys, c.req.valid('param').uuid)
      return c.body(png, 200, { 'Content-Type': 'image/png', 'Cache-Control': 'no-store' })
    })
    .openapi(login, async (c) => {
      const result = await new AuthService(authDeps(c)).login(c.req.valid('json'))
      setRefreshCookie(c, result)
      return ok(c, {
        ...accessTokenData(result),
        password_expire_days_remaining: result.passwordExpireDaysRemaining,
        user: toUserInfo(result.user),
      })
    })
    .openapi(swaggerLogin, async (c) => {
      const result = await new AuthService(authDeps(c)).login({ ...c.req.valid('query'), swagger: true })
      return c.json(
        { access_token: result.accessToken, token_type: 'Bearer' as const, user: toUserInfo(result.user) },
        200,
      )
    })
    .openapi(refresh, async (c) => {
      const tokens = await new AuthService(authDeps(c)).refresh(getCookie(c, REFRESH_COOKIE))
      setRefreshCookie(c, tokens)
      return ok(c, accessTokenData(tokens))
    })
    .openapi(logout, async (c) => {
      await new AuthService(authDeps(c)).logout(bearerToken(c), getCookie(c, REFRESH_COOKIE))
      deleteCookie(c, REFRESH_COOKIE, { path: REFRESH_COOKIE_PATH })
      return ok(c, null)
    })
    .openapi(codes, (c) => ok(c, c.get('user')?.perms ?? []))
}
