/**
 * Permission codes of the event routes (Stratum additions; fba has no events): reading the event DLQ (its entries
 * carry event payloads) and retrying an entry. Seeded as buttons under 任务记录 (docs/events.md, "Failure handling").
 */
export const EVENT_PERMS = {
  view: 'sys:event:view',
  retry: 'sys:event:retry',
} as const
