/**
 * JSON shapes returned by the REST API, matching the types of `@upstash/qstash` 2.12
 * (Message, DlqMessage, Log, QueueResponse, Schedule, UrlGroup). Optional fields are omitted, not null.
 */

import { redactBody, redactHeaders } from './redact'
import type { DlqRecord, EventRecord, QueueRecord, TopicRecord } from './store'
import type { CallbackOptions, FlowControlLimits, HeaderMap, RedactSpec, StoredMessage } from './types'

const utf8 = new TextDecoder('utf-8', { fatal: true })

/** QStash returns bodies as `body` when they are valid UTF-8, else as `bodyBase64`. */
export function bodyFields(body: Buffer, key = 'body'): Record<string, string> {
  if (body.length === 0) return {}
  try {
    return { [key]: utf8.decode(body) }
  } catch {
    return { [`${key}Base64`]: body.toString('base64') }
  }
}

/**
 * A message's (or schedule's) flow-control limits as QStash reports them: `rate` with its deprecated twin
 * `ratePerSecond`, `period` in seconds. Absent settings are omitted.
 */
function flowControlFields(limits: FlowControlLimits | null): Record<string, unknown> {
  if (!limits) return {}
  return {
    parallelism: limits.parallelism ?? undefined,
    rate: limits.rate ?? undefined,
    ratePerSecond: limits.rate ?? undefined,
    period: limits.rate === null ? undefined : limits.period,
  }
}

function labelFields(labels: string[]): Record<string, unknown> {
  return labels.length > 0 ? { label: labels[0], labels } : {}
}

/** Drops undefined/null members so responses look like QStash's `omitempty` JSON. */
function compact(record: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).filter(([, v]) => v !== undefined && v !== null))
}

export function messageView(m: StoredMessage): Record<string, unknown> {
  return compact({
    messageId: m.id,
    url: m.url,
    topicName: m.topicName,
    endpointName: m.endpointName,
    method: m.method,
    header: redactHeaders(m.headers, m.redact),
    ...bodyFields(redactBody(m.body, m.redact)),
    maxRetries: m.maxRetries,
    retryDelayExpression: m.retryDelay,
    notBefore: m.notBefore,
    createdAt: m.createdAt,
    callback: m.callback?.url,
    failureCallback: m.failureCallback?.url,
    queueName: m.queueName,
    scheduleId: m.scheduleId,
    callerIp: m.callerIp,
    flowControlKey: m.flowControlKey,
    ...flowControlFields(m.flowControl),
    timeout: m.timeoutMs === null ? undefined : Math.round(m.timeoutMs / 1000),
    ...labelFields(m.labels),
  })
}

export function dlqView(d: DlqRecord): Record<string, unknown> {
  return compact({
    ...messageView(d.message),
    dlqId: d.dlqId,
    responseStatus: d.responseStatus,
    responseHeader: d.responseHeader,
    ...(d.responseBody ? bodyFields(d.responseBody, 'responseBody') : {}),
  })
}

/** The SDK's `Log` type has single-valued headers; the body is base64 as in QStash's logs API. */
export function eventView(e: EventRecord): Record<string, unknown> {
  const header: Record<string, string> = {}
  for (const [name, values] of Object.entries(e.header)) header[name] = values.join(', ')
  return compact({
    time: e.time,
    messageId: e.messageId,
    state: e.state,
    url: e.url,
    topicName: e.topicName,
    endpointName: e.endpointName,
    queueName: e.queueName,
    scheduleId: e.scheduleId,
    header,
    body: e.body && e.body.length > 0 ? e.body.toString('base64') : undefined,
    nextDeliveryTime: e.nextDeliveryTime,
    responseStatus: e.responseStatus,
    responseBody: e.responseBody,
    error: e.error,
    callerIp: e.callerIp === '' ? undefined : e.callerIp,
    flowControlKey: e.flowControlKey,
    ...labelFields(e.labels),
  })
}

export function queueView(q: QueueRecord, lag: number): Record<string, unknown> {
  return {
    name: q.name,
    parallelism: q.parallelism,
    paused: q.paused,
    lag,
    createdAt: q.createdAt,
    updatedAt: q.updatedAt,
  }
}

export function topicView(t: TopicRecord): Record<string, unknown> {
  return { name: t.name, createdAt: t.createdAt, updatedAt: t.updatedAt, endpoints: t.endpoints }
}

export interface ScheduleViewInput {
  id: string
  cron: string
  destination: string
  method: string
  headers: HeaderMap
  body: Buffer
  maxRetries: number
  retryDelay: string | null
  delayMs: number
  timeoutMs: number | null
  callback: CallbackOptions | null
  failureCallback: CallbackOptions | null
  queueName: string | null
  flowControlKey: string | null
  flowControl: FlowControlLimits | null
  redact: RedactSpec | null
  labels: string[]
  paused: boolean
  callerIp: string
  createdAt: number
  lastScheduleTime: number | null
  nextRunAt: number | null
}

export function scheduleView(s: ScheduleViewInput): Record<string, unknown> {
  return compact({
    scheduleId: s.id,
    cron: s.cron,
    destination: s.destination,
    method: s.method,
    header: redactHeaders(s.headers, s.redact),
    ...bodyFields(redactBody(s.body, s.redact)),
    retries: s.maxRetries,
    retryDelayExpression: s.retryDelay,
    // QStash reports the schedule delay in seconds.
    delay: s.delayMs > 0 ? Math.round(s.delayMs / 1000) : undefined,
    timeout: s.timeoutMs === null ? undefined : Math.round(s.timeoutMs / 1000),
    callback: s.callback?.url,
    failureCallback: s.failureCallback?.url,
    queueName: s.queueName,
    flowControlKey: s.flowControlKey,
    ...flowControlFields(s.flowControl),
    isPaused: s.paused,
    createdAt: s.createdAt,
    lastScheduleTime: s.lastScheduleTime,
    nextScheduleTime: s.nextRunAt,
    callerIP: s.callerIp === '' ? undefined : s.callerIp,
    ...labelFields(s.labels),
  })
}
