/**
 * The plugin system's own events (docs/events.md): not a plugin's, so no manifest lists them — the app joins
 * `PLUGIN_SYSTEM_EVENTS` to its event registry (src/app/domains.ts).
 */
import { z } from '@hono/zod-openapi'
import { defineEvent } from '../domains/events/define'

/** An administrator switched a plugin on or off (`PUT /sys/plugins/{plugin}/status`); `enabled` is the new flag. */
export const pluginToggled = defineEvent('plugin.toggled', z.object({ plugin: z.string(), enabled: z.boolean() }))

export const PLUGIN_SYSTEM_EVENTS = [pluginToggled]
