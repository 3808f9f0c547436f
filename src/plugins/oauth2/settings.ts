/**
 * The `oauth2` plugin's settings (docs/oauth2.md), from the Worker's vars and secrets (fba's `OAUTH2_*`). Every
 * provider URL is a setting, so GitHub and Google can both point at the local OAuth2 stand-in (`npm run dev` and the
 * tests set them); the defaults are the real providers'.
 */
import { z } from '@hono/zod-openapi'
import { envSettings } from '../env-settings'

const url = z.url({ protocol: /^https?$/ })

export const oauth2SettingsSchema = z.object({
  OAUTH2_GITHUB_CLIENT_ID: z.string().default(''),
  OAUTH2_GITHUB_CLIENT_SECRET: z.string().default(''),
  /** Default: `<PUBLIC_URL or this request's origin>/api/v1/oauth2/github/callback`. */
  OAUTH2_GITHUB_REDIRECT_URI: url.optional(),
  OAUTH2_GITHUB_AUTHORIZE_URL: url.default('https://github.com/login/oauth/authorize'),
  OAUTH2_GITHUB_TOKEN_URL: url.default('https://github.com/login/oauth/access_token'),
  /** GitHub's REST API (`/user`, `/user/emails`). */
  OAUTH2_GITHUB_API_URL: url.default('https://api.github.com'),
  OAUTH2_GOOGLE_CLIENT_ID: z.string().default(''),
  OAUTH2_GOOGLE_CLIENT_SECRET: z.string().default(''),
  OAUTH2_GOOGLE_REDIRECT_URI: url.optional(),
  OAUTH2_GOOGLE_AUTHORIZE_URL: url.default('https://accounts.google.com/o/oauth2/v2/auth'),
  OAUTH2_GOOGLE_TOKEN_URL: url.default('https://oauth2.googleapis.com/token'),
  OAUTH2_GOOGLE_USERINFO_URL: url.default('https://openidconnect.googleapis.com/v1/userinfo'),
  /** Where a sign-in lands (`?access_token=…&session_uuid=…`) and where a binding returns to. */
  OAUTH2_FRONTEND_LOGIN_REDIRECT_URI: url.default('http://localhost:5173/oauth2/callback'),
  OAUTH2_FRONTEND_BINDING_REDIRECT_URI: url.default('http://localhost:5173/profile'),
  /** How long an authorization may take (the state and PKCE verifier live this long, used once). */
  OAUTH2_STATE_EXPIRE_SECONDS: z.coerce.number().int().min(30).max(3600).default(180),
  /** Deadline of one call to a provider (token exchange, profile). */
  OAUTH2_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(10_000),
})

export type OAuth2Settings = z.infer<typeof oauth2SettingsSchema>

/** Every key above (`npm run dev` passes these through from its environment). */
export const OAUTH2_ENV_KEYS = Object.keys(oauth2SettingsSchema.shape) as (keyof OAuth2Settings)[]

export const oauth2EnvSettings = envSettings(oauth2SettingsSchema)
