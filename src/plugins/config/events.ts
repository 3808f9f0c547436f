/** The config plugin's event (docs/events.md). */
import { z } from '@hono/zod-openapi'
import { defineEvent } from '../../domains/events/define'

/**
 * Configs were created, updated or deleted. `keys`: the keys concerned (an update that renames lists the old key and
 * the new). Never a value: some are secrets (./secrets.ts).
 */
export const configChanged = defineEvent(
  'config.changed',
  z.object({ action: z.enum(['created', 'updated', 'deleted']), keys: z.array(z.string()) }),
)

export const CONFIG_EVENTS = [configChanged]
