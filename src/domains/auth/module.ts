/** Login, tokens, sessions and the access check every non-public route goes through (./access.ts). */
import { lazyRoutes } from '../../http/lazy-routes'
import { defineDomain } from '../module'
import { AUTH_EVENTS } from './events'
import { authMessages } from './messages'

export const authModule = defineDomain({
  name: 'auth',
  routes: { v1: lazyRoutes(() => import('./routes.v1').then((m) => m.authRoutes)) },
  messages: authMessages,
  events: AUTH_EVENTS,
})
