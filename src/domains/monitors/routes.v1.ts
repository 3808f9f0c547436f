/**
 * `/monitors/sessions` (docs/fba-compatibility.md, "Monitors"): the online list, read from the live-session index, and
 * force-logout. Ending a session deletes its record, so its access token *and* its refresh token stop working
 * (docs/fba-compatibility.md, D4). `status` is 1 for a session with a connected Socket.IO client (the realtime hub's
 * answer, fba's `token_online`), 0 for one without; where that cannot be known (no hub on this host, or it did not
 * answer) every live session reads 1, as before there was a hub.
 */
import type { Context } from 'hono'
import { NotFoundError } from '../../core/errors'
import { t } from '../../core/i18n'
import type { AppEnv } from '../../http/context'
import { defineRoute, jsonEnvelope, z } from '../../http/openapi'
import { realtimeOf } from '../../http/realtime'
import { ok } from '../../http/respond'
import { createRouter } from '../../http/router'
import { redisKeys } from '../../infra/redis-keys'
import { required } from '../../infra/services'
import { SessionStore } from '../auth/sessions'
import { dataPermission } from '../data-rules/data-permission'
import { scopedRecords } from '../data-rules/scoped-records'
import { UserRepository } from '../users/repository'
import { sysUser } from '../users/schema'
import {
  OnlineSessionSchema,
  SessionListQuerySchema,
  SessionPkParamSchema,
  SessionUuidQuerySchema,
  toOnlineSession,
} from './dto'
import { MONITOR_PERMS } from './perms'

const TAGS = ['Monitors']

/** Sessions are listed and ended per user: a user outside the caller's data scope has none to see or end. */
const USER_RECORDS = scopedRecords(sysUser, { notFound: 'session.not_found' })

const list = defineRoute({
  method: 'get',
  path: '/monitors/sessions',
  tags: TAGS,
  summary: 'Live sessions (docs-UI logins excluded), newest login first',
  access: { permission: MONITOR_PERMS.online },
  sensitive: true,
  dataPermission: USER_RECORDS,
  request: { query: SessionListQuerySchema },
  responses: { 200: jsonEnvelope(z.array(OnlineSessionSchema), 'Online sessions') },
})

const kick = defineRoute({
  method: 'delete',
  path: '/monitors/sessions/{pk}',
  tags: TAGS,
  summary: 'Force-logout: end one session of a user (access and refresh)',
  access: 'superuser',
  dataPermission: USER_RECORDS,
  errors: [404],
  request: { params: SessionPkParamSchema, query: SessionUuidQuerySchema },
  responses: { 200: jsonEnvelope(z.null(), 'Session ended') },
})

function sessionStore(c: Context<AppEnv>): SessionStore {
  return new SessionStore(required(c.get('services').redis, 'redis'), redisKeys(c.get('config')), realtimeOf(c))
}

export function monitorRoutes() {
  return createRouter()
    .openapi(list, async (c) => {
      const { username } = c.req.valid('query')
      const sessions = await sessionStore(c).listActive()
      if (!sessions.length) return ok(c, [])
      const users = await new UserRepository(required(c.get('services').db, 'database')).getMany(
        [...new Set(sessions.map((s) => s.userId))],
        { permission: dataPermission(c, sysUser) },
      )
      const byId = new Map(users.map((u) => [u.id, u]))
      const unknown = t(c.get('lang'), 'monitor.unknown')
      const listed = sessions
        .sort((a, b) => b.loginTime - a.loginTime)
        .flatMap((s) => {
          const user = byId.get(s.userId)
          // A session whose user is gone is on its way out (deleting a user ends its sessions); one whose user is
          // outside the caller's data scope is not theirs to see.
          if (s.swagger || !user || (username && user.username !== username)) return []
          return [{ session: s, user }]
        })
      const online = listed.length ? await realtimeOf(c).online(listed.map(({ session }) => session.sid)) : undefined
      return ok(
        c,
        listed.map(({ session, user }) => toOnlineSession(session, user, unknown, online?.has(session.sid) ?? true)),
      )
    })
    .openapi(kick, async (c) => {
      const { pk } = c.req.valid('param')
      const { session_uuid } = c.req.valid('query')
      const store = sessionStore(c)
      const session = await store.get(session_uuid)
      if (!session || session.userId !== pk) throw new NotFoundError('session.not_found')
      await store.revoke(session)
      return ok(c, null)
    })
}
