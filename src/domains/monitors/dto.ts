/** Online-session shapes of the v1 admin API (docs/fba-compatibility.md, "Monitors"; sessions only). */
import { z } from '@hono/zod-openapi'
import { formatDateTime } from '../../core/datetime'
import { pkParam } from '../../core/schemas'
import type { Session } from '../auth/sessions'

export const OnlineSessionSchema = z
  .object({
    id: z.number().int().openapi({ description: 'User id' }),
    session_uuid: z.string(),
    username: z.string(),
    nickname: z.string(),
    ip: z.string(),
    os: z.string(),
    browser: z.string(),
    device: z.string(),
    status: z
      .number()
      .int()
      .openapi({ description: '1 online (a connected Socket.IO client), 0 offline (docs/realtime.md)' }),
    last_login_time: z.string().openapi({ description: 'When this session logged in', example: '2026-11-22 02:00:00' }),
    expire_time: z
      .string()
      .openapi({ description: 'When the session ends unless refreshed', example: '2026-11-29 02:00:00' }),
  })
  .openapi('OnlineSession')

export type OnlineSession = z.infer<typeof OnlineSessionSchema>

export function toOnlineSession(
  session: Session,
  user: { username: string; nickname: string },
  unknown: string,
  online: boolean,
): OnlineSession {
  return {
    id: session.userId,
    session_uuid: session.sid,
    username: user.username,
    nickname: user.nickname,
    ip: session.ip || unknown,
    os: session.os ?? unknown,
    browser: session.browser ?? unknown,
    device: session.device ?? unknown,
    status: online ? 1 : 0,
    last_login_time: formatDateTime(new Date(session.loginTime)) ?? '',
    expire_time: formatDateTime(new Date(session.expiresAt)) ?? '',
  }
}

export const SessionListQuerySchema = z.object({
  username: z.string().max(64).optional().openapi({ description: 'Exact username' }),
})

export const SessionPkParamSchema = pkParam('User id')

export const SessionUuidQuerySchema = z.object({
  session_uuid: z.string().min(1).max(64).openapi({ description: 'The session to end' }),
})
