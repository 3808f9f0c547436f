/** Login, tokens, sessions and the access check every non-public route goes through (./access.ts). */
import { defineDomain } from '../module'
import { AUTH_EVENTS } from './events'
import { authMessages } from './messages'
import { authRoutes } from './routes.v1'

export const authModule = defineDomain({
  name: 'auth',
  routes: { v1: authRoutes },
  messages: authMessages,
  events: AUTH_EVENTS,
})
