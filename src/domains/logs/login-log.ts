/**
 * Writes one login-log row per login attempt. The insert is returned as a query so a successful login can put it
 * in the same `db.batch` as its other writes; failed attempts await it before the error goes out, so no attempt is
 * ever lost.
 */
import type { ClientInfo } from '../../http/client-info'
import type { Db } from '../../infra/db/client'
import { sysLoginLog } from './schema'

export interface LoginAttempt {
  username: string
  userUuid: string | null
  success: boolean
  msg: string
  client: ClientInfo
}

export function loginLogInsert(db: Db, attempt: LoginAttempt) {
  const { client } = attempt
  return db.insert(sysLoginLog).values({
    userUuid: attempt.userUuid ?? crypto.randomUUID(),
    username: attempt.username.slice(0, 64),
    status: attempt.success ? 1 : 0,
    ip: client.ip,
    country: client.country,
    region: client.region,
    city: client.city,
    userAgent: client.userAgent,
    os: client.os,
    browser: client.browser,
    device: client.device,
    msg: attempt.msg,
    loginTime: new Date(),
  })
}
