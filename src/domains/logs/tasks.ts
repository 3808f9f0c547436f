/**
 * Log retention tasks, scheduled by the seeded `清理登录日志`/`清理操作日志` schedules. fba deletes every row; Stratum
 * keeps the last `keep_days` days (0 deletes everything, fba's behaviour) — docs/tasks.md, "Built-in tasks".
 */
import { z } from '@hono/zod-openapi'
import { lt } from 'drizzle-orm'
import { defineTask } from '../tasks/define'
import { sysLoginLog, sysOperaLog } from './schema'

const retention = z.object({ keep_days: z.number().int().min(0).max(3650).default(30) })

const cutoff = (keepDays: number) => new Date(Date.now() - keepDays * 86_400_000)

export const deleteLoginLogTask = defineTask({
  name: 'delete_db_login_log',
  summary: 'Delete login logs older than keep_days days',
  args: retention,
  retries: 3,
  timeoutMs: 60_000,
  async handler({ args, db }) {
    const result = await db.delete(sysLoginLog).where(lt(sysLoginLog.createdTime, cutoff(args.keep_days)))
    return { deleted: result.rowsAffected }
  },
})

export const deleteOperaLogTask = defineTask({
  name: 'delete_db_opera_log',
  summary: 'Delete operation logs older than keep_days days',
  args: retention,
  retries: 3,
  timeoutMs: 60_000,
  async handler({ args, db }) {
    const result = await db.delete(sysOperaLog).where(lt(sysOperaLog.createdTime, cutoff(args.keep_days)))
    return { deleted: result.rowsAffected }
  },
})

export const LOG_TASKS = [deleteLoginLogTask, deleteOperaLogTask]
