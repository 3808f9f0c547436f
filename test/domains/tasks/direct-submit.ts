/**
 * Submitting tasks from a test without an API route: the app's own `QstashTaskSubmitter`, built from this file's
 * bindings (its database, the QStash emulator) the way `tasksOf(c)` builds one for a request. Deliveries go to
 * `UNREACHABLE_URL` unless told otherwise: nothing listens there, so an undelayed task fails at once and, with no
 * retries left, lands in QStash's DLQ — a delayed one just waits in QStash.
 */
import { env } from 'cloudflare:workers'
import { QstashError } from '@upstash/qstash'
import { appCatalogue } from '../../../src/app/domains'
import { type Config, loadConfig } from '../../../src/core/config'
import { DEFAULT_LANG } from '../../../src/core/i18n'
import { createLogger } from '../../../src/core/logging'
import type { TaskRegistry } from '../../../src/domains/tasks/registry'
import { QstashTaskSubmitter } from '../../../src/domains/tasks/submitter'
import { createQstash, type Qstash } from '../../../src/infra/qstash'
import type { Overrides } from '../../helpers/app'
import { fileDb } from '../../helpers/database'
import { FILE_ID, fileBindings } from '../../helpers/isolation'

/** This file's own address where nothing answers (port 9, discard; the path keeps files' DLQ entries apart). */
export const UNREACHABLE_URL = `http://127.0.0.1:9/t_${FILE_ID}`

/** Binding overrides for API calls that must agree with `submitter()` on the delivery address. */
export const UNREACHABLE = { PUBLIC_URL: UNREACHABLE_URL } as const

export function fileConfig(overrides: Overrides = {}): Config {
  return loadConfig({ ...env, ...fileBindings, ...UNREACHABLE, ...overrides })
}

/** The QStash emulator's client, as the app builds it. */
export function qstash(overrides: Overrides = {}): Qstash {
  const client = createQstash(fileConfig(overrides))
  if (!client) throw new Error('QSTASH_TOKEN is not bound in the test environment')
  return client
}

export interface SubmitterOptions {
  /** Binding overrides (e.g. the relay's `PUBLIC_URL`, so deliveries reach the app). */
  overrides?: Overrides
  /** The registry of an app built with test-only tasks (default: the app's modules and plugins). */
  registry?: TaskRegistry
}

export function submitter(options: SubmitterOptions = {}): QstashTaskSubmitter {
  return new QstashTaskSubmitter({
    db: fileDb(),
    qstash: qstash(options.overrides),
    config: fileConfig(options.overrides),
    registry: options.registry ?? appCatalogue().tasks,
    logger: createLogger({ test: 'direct-submit' }, 'error'),
    lang: DEFAULT_LANG,
  })
}

/** The QStash status of looking a message up: 200 while it is pending, 404 once cancelled or delivered. */
export async function messageStatus(messageId: string): Promise<number> {
  try {
    await qstash().messages.get(messageId)
    return 200
  } catch (err) {
    if (err instanceof QstashError && err.status) return err.status
    throw err
  }
}

/** Polls until `check` gives a value (not undefined), or fails after `timeoutMs`. */
export async function eventually<T>(check: () => Promise<T | undefined>, what: string, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await check()
    if (value !== undefined) return value
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}
