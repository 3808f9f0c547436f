/**
 * Runs once per `vitest run`: starts the local cloud (redis-server + the three emulators, in memory) and provides
 * the endpoints to every project. Worker tests get them as bindings; each test file then derives its own database
 * and Redis namespace from the `TEST_*` base URLs (see test/helpers/isolation.ts). Beside them, the fault harness
 * (./fault-harness.ts): a Redis and proxies that fault tests may stall without stalling anyone else (`FAULT_*`), and
 * the delivery relay (./delivery-relay.ts) through which QStash reaches the app inside workerd (`DELIVERY_RELAY_URL`).
 */
import type { TestProject } from 'vitest/node'
import { startLocalStack } from '../../tools/cli/lib/local-stack'
import { startDeliveryRelay } from './delivery-relay'
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
  const relay = await startDeliveryRelay().catch(async (err: unknown) => {
    await stack.stop()
    throw err
  })
  const faults = await startFaultHarness({
    redisToken: stack.vars.UPSTASH_REDIS_REST_TOKEN ?? '',
    libsqlUrl: base('libsql'),
    qstashUrl: base('qstash'),
    qstash: {
      token: stack.vars.QSTASH_TOKEN ?? '',
      currentSigningKey: stack.vars.QSTASH_CURRENT_SIGNING_KEY ?? '',
      nextSigningKey: stack.vars.QSTASH_NEXT_SIGNING_KEY ?? '',
    },
  }).catch(async (err: unknown) => {
    await relay.close()
    await stack.stop()
    throw err
  })
  // The SMTP stand-in's variables stay out of the default bindings (tests read the dev outbox unless they ask for
  // SMTP, test/plugins/email.test.ts); its address is offered as TEST_SMTP_*.
  const {
    EMAIL_TRANSPORT,
    EMAIL_HOST,
    EMAIL_PORT,
    EMAIL_SSL,
    EMAIL_USERNAME,
    EMAIL_PASSWORD,
    EMAIL_CONFIG_FROM_ENV,
    ...vars
  } = stack.vars
  project.provide('workerBindings', {
    ...vars,
    TEST_LIBSQL_URL: base('libsql'),
    TEST_REDIS_URL: base('redis'),
    TEST_SMTP_HOST: EMAIL_HOST ?? '',
    TEST_SMTP_PORT: EMAIL_PORT ?? '',
    TEST_SMTP_INBOX_URL: base('smtp'),
    TEST_OAUTH2_URL: base('oauth2'),
    DELIVERY_RELAY_URL: relay.url,
    ...faults.vars,
  })
  return async () => {
    await faults.close()
    // QStash stops before the relay: an attempt cut off by the relay would otherwise count as a failed delivery.
    await stack.stop()
    await relay.close()
  }
}
