/**
 * The typed client (`stratum/client`, src/client): real calls through the whole app, v1 and v2, typed from the
 * routers. The type assertions here are checked by `npm run typecheck` (test/** is in tsconfig.json): renaming a
 * path, a parameter or an answer's field makes this file fail to compile, which is the point of the client.
 */
import type { InferRequestType, InferResponseType } from 'hono/client'
import { stratumClient } from 'stratum/client'
import { beforeAll, describe, expect, expectTypeOf, it } from 'vitest'
import { call } from '../helpers/app'
import { login } from '../helpers/auth'
import { seedFileDatabase } from '../helpers/database'

beforeAll(seedFileDatabase)

// The app in this Workers runtime, as the client's transport (a deployed app needs none: `fetch` is the default).
const fetchApp = (input: RequestInfo | URL, init?: RequestInit) => call(String(input), init)

describe('stratumClient', () => {
  it('calls v1 with a token and reads the answer as the route declares it', async () => {
    const { accessToken } = await login('admin')
    const v1 = stratumClient('http://localhost', { token: accessToken, fetch: fetchApp })
    const res = await v1.sys.users.me.$get()
    expect(res.status).toBe(200)
    const body = await res.json()
    expectTypeOf(body.data.username).toEqualTypeOf<string>()
    expect(body.data.username).toBe('admin')

    const role = await (await v1.sys.roles[':pk'].$get({ param: { pk: '1' } })).json()
    expect(role.data.name).toBe('测试')
  })

  it('calls v2 (the routes that version serves) and refuses what it does not have at compile time', async () => {
    const v2 = stratumClient('http://localhost/', { version: 'v2', fetch: fetchApp })
    const res = await v2.health.ping.$get()
    const body = await res.json()
    expect(body.data.api_version).toBe('v2')
    // @ts-expect-error v2 serves no user routes
    expect(v2.sys).toBeDefined() // hc builds any path at runtime; only the types know v2 has none
  })

  it("has the task domain's QStash delivery routes, typed (they answer only signed calls)", async () => {
    const v1 = stratumClient('http://localhost', { fetch: fetchApp })
    const { deliveries, failures } = v1.qstash
    // Compile-time: these fail to typecheck if the tasks router's type is widened again (its routes then vanish).
    expectTypeOf<InferResponseType<typeof deliveries.$post, 200>['data']['ran']>().toEqualTypeOf<boolean>()
    expectTypeOf<InferRequestType<typeof failures.$post>['json']['sourceBody']>().toEqualTypeOf<string>()
    const res = await deliveries.$post({ json: { kind: 'task', task_id: 'not-signed', name: 'task_demo' } })
    expect(res.status).toBe(401)
    await res.arrayBuffer()
  })

  it('sends no Authorization header without a token (a protected route answers 401)', async () => {
    const v1 = stratumClient('http://localhost', { fetch: fetchApp })
    const res = await v1.sys.users.me.$get()
    expect(res.status).toBe(401)
    await res.arrayBuffer()
  })
})

// Compile-time only: a shape the routes do not declare is an error (removing one of these lines' causes fails tsc).
function typeFixtures(v1: ReturnType<typeof stratumClient>) {
  // @ts-expect-error no such route
  void v1.sys.users.nope
  // @ts-expect-error the login body needs username and password
  void v1.auth.login.$post({ json: { user: 'admin' } })
  // @ts-expect-error a path parameter is required
  void v1.sys.roles[':pk'].$get()
}
void typeFixtures
