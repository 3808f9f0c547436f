/** Server-rendered pages: the landing page and the docs UI shell. */
import { Hono } from 'hono'
import { APP_VERSION } from '../core/app-info'
import type { AppEnv } from '../http/context'
import { Docs } from './docs'
import { Landing } from './landing'

/** `/docs/` redirects to `/docs` (query kept): the router is strict about trailing slashes, and people type both. */
export function pageRoutes(apiVersions: string[]) {
  return new Hono<AppEnv>()
    .get('/', (c) =>
      c.html(
        <Landing
          name={c.get('config').APP_NAME}
          version={APP_VERSION}
          environment={c.get('config').ENVIRONMENT}
          apiVersions={apiVersions}
        />,
      ),
    )
    .get('/docs', (c) =>
      c.html(
        <Docs
          title={c.get('config').APP_NAME}
          specs={apiVersions.map((v) => ({ name: v, url: `/api/${v}/openapi.json` }))}
        />,
      ),
    )
    .get('/docs/', (c) => c.redirect(`/docs${new URL(c.req.url).search}`, 301))
}
