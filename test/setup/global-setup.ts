/**
 * Runs once per `vitest run`: starts the local cloud (redis-server + the three emulators, in memory) and provides
 * the endpoints to every project. Worker tests get them as bindings; each test file then derives its own database
 * and Redis namespace from the `TEST_*` base URLs (see test/helpers/isolation.ts). Beside them, the fault harness
 * (./fault-harness.ts): a Redis and proxies that fault tests may stall without stalling anyone else (`FAULT_*`).
 */
import type { TestProject } from 'vitest/node'
import { startLocalStack } from '../../tools/cli/lib/local-stack'
import { startFaultHarness } from './fault-harness'

declare module 'vitest' {
  export interface ProvidedContext {
    /** Worker bindings for the local emulators (endpoints, tokens, signing keys) plus per-file isolation bases. */
    workerBindings: Record<string, string>
  }
}

export default async function setup(project: TestProject) {
  const stack = await startLocalStack({ qstashTimeScale: 0.001 })
  const base = (name: string) => stack.emulators.find((e) => e.name === name)?.url ?? ''
  const faults = await startFaultHarness({
    redisToken: stack.vars.UPSTASH_REDIS_REST_TOKEN ?? '',
    libsqlUrl: base('libsql'),
    qstashUrl: base('qstash'),
  }).catch(async (err: unknown) => {
    await stack.stop()
    throw err
  })
  project.provide('workerBindings', {
    ...stack.vars,
    TEST_LIBSQL_URL: base('libsql'),
    TEST_REDIS_URL: base('redis'),
    ...faults.vars,
  })
  return async () => {
    await faults.close()
    await stack.stop()
  }
}
