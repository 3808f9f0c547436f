/**
 * Permission codes of the monitor reads (the seeded buttons under the Online, Redis and Server menus carry them). Each
 * shows other users' sessions or the infrastructure's internals, so none is open to every signed-in user; the writes
 * (force-logout, rate-limit reset) stay superuser-only.
 */
export const MONITOR_PERMS = {
  online: 'monitor:online:list',
  redis: 'monitor:redis',
  cache: 'monitor:cache',
  rateLimits: 'monitor:rate-limit',
  server: 'monitor:server',
} as const
