/**
 * The `email` plugin (fba's `email`): sends the app's mail — the 6-digit code of `POST /api/v1/emails/captcha` that
 * confirms an email change (`PUT /sys/users/me/email`) — over SMTP (from a Worker over `cloudflare:sockets`, from the
 * Node, Bun and Deno hosts over `node:net`/`node:tls`), with the server from the environment or the `config` plugin's
 * `EMAIL` rows. See ./README.md and docs/email.md.
 */
import { definePlugin } from '../types'
import { emailSettingsSchema } from './settings'
import { emailTransport } from './transport'

export const emailPlugin = definePlugin({
  name: 'email',
  version: '0.0.3',
  summary: 'Email',
  description:
    'Sends the app’s mail (email verification codes) over SMTP, on every host; the server comes from the ' +
    'environment or from the config plugin’s EMAIL rows.',
  author: 'Stratum',
  tags: ['notification'],
  kind: 'app',
  settings: emailSettingsSchema,
  emailTransport,
})

export default emailPlugin
