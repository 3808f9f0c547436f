/** URL groups (a.k.a. topics): publishing to a group name fans out one message per endpoint. */
import { HttpError, readJson, sendJson } from '../../shared/http'
import { isHttpUrl, NAME_PATTERN } from '../headers'
import type { TopicEndpoint } from '../store'
import { topicView } from '../views'
import { type ApiContext, isRecord, notFound, sendEmpty } from './context'

function assertGroupName(name: string): void {
  if (!NAME_PATTERN.test(name)) {
    throw new HttpError(400, { error: 'URL group name may only contain letters, digits, -, _ and .' })
  }
}

/** `{ endpoints: [{ name?, url? }] }`; `requireUrl` for additions. */
async function readEndpoints(ctx: ApiContext, requireUrl: boolean): Promise<Array<{ name?: string; url?: string }>> {
  const body = await readJson(ctx.req, 256 * 1024)
  if (!isRecord(body) || !Array.isArray(body.endpoints)) {
    throw new HttpError(400, { error: 'body must be {"endpoints": [{"name"?, "url"}]}' })
  }
  return body.endpoints.map((item: unknown, index) => {
    if (!isRecord(item)) throw new HttpError(400, { error: `endpoints[${index}] must be an object` })
    const { name, url } = item
    if (name !== undefined && typeof name !== 'string') {
      throw new HttpError(400, { error: `endpoints[${index}].name must be a string` })
    }
    if (url !== undefined && (typeof url !== 'string' || !isHttpUrl(url))) {
      throw new HttpError(400, { error: `endpoints[${index}].url must be an absolute http(s) URL` })
    }
    if (requireUrl && url === undefined) throw new HttpError(400, { error: `endpoints[${index}].url is required` })
    if (!requireUrl && url === undefined && (name === undefined || name === '')) {
      throw new HttpError(400, { error: `endpoints[${index}] needs a name or a url` })
    }
    return { ...(name ? { name } : {}), ...(typeof url === 'string' ? { url } : {}) }
  })
}

export async function addEndpoints(ctx: ApiContext, name: string): Promise<void> {
  assertGroupName(name)
  const additions = await readEndpoints(ctx, true)
  const store = ctx.core.store
  const endpoints: TopicEndpoint[] = [...(store.getTopic(name)?.endpoints ?? [])]
  for (const addition of additions) {
    if (addition.url === undefined) continue
    const existing = endpoints.findIndex((e) => e.url === addition.url)
    const endpoint: TopicEndpoint = addition.name ? { name: addition.name, url: addition.url } : { url: addition.url }
    if (existing >= 0) endpoints[existing] = endpoint
    else endpoints.push(endpoint)
  }
  store.saveTopic(name, endpoints, ctx.core.clock.now())
  sendEmpty(ctx.res)
}

export async function removeEndpoints(ctx: ApiContext, name: string): Promise<void> {
  const removals = await readEndpoints(ctx, false)
  const store = ctx.core.store
  const topic = store.getTopic(name)
  if (!topic) throw notFound('URL group')
  const remaining = topic.endpoints.filter(
    (endpoint) =>
      !removals.some((r) => (r.url !== undefined && r.url === endpoint.url) || (r.name && r.name === endpoint.name)),
  )
  // QStash deletes a group whose last endpoint is removed.
  if (remaining.length === 0) store.deleteTopic(name)
  else store.saveTopic(name, remaining, ctx.core.clock.now())
  sendEmpty(ctx.res)
}

export function listTopics(ctx: ApiContext): void {
  sendJson(ctx.res, 200, ctx.core.store.listTopics().map(topicView))
}

export function getTopic(ctx: ApiContext, name: string): void {
  const topic = ctx.core.store.getTopic(name)
  if (!topic) throw notFound('URL group')
  sendJson(ctx.res, 200, topicView(topic))
}

export function deleteTopic(ctx: ApiContext, name: string): void {
  if (!ctx.core.store.deleteTopic(name)) throw notFound('URL group')
  sendEmpty(ctx.res)
}
