/**
 * The task registry: every task of every module and plugin, by name. Built once per app (src/app/tasks.ts) from the
 * module list and the plugin registry — nothing registers itself at import time.
 */
import { z } from '@hono/zod-openapi'
import type { AnyTaskDefinition } from './define'

export class TaskRegistry {
  readonly #byName = new Map<string, AnyTaskDefinition>()

  constructor(definitions: readonly AnyTaskDefinition[]) {
    for (const definition of definitions) {
      if (this.#byName.has(definition.name)) throw new Error(`task "${definition.name}" is defined twice`)
      this.#byName.set(definition.name, definition)
    }
  }

  get(name: string): AnyTaskDefinition | undefined {
    return this.#byName.get(name)
  }

  /** Every definition, by name. */
  all(): AnyTaskDefinition[] {
    return [...this.#byName.values()].sort((a, b) => a.name.localeCompare(b.name))
  }
}

export type ArgsResult =
  | { success: true; data: Record<string, unknown> }
  | { success: false; error: { issues: z.core.$ZodIssue[] } }

/**
 * The args a handler gets: positional values (a schedule's `args`, fba's Celery style) take the schema's keys in
 * declaration order, then named values (`kwargs`) are laid over them; the schema decides. More positional values
 * than keys is an issue at path `[]` (the positional list itself).
 */
export function taskArgs(
  definition: AnyTaskDefinition,
  named: Record<string, unknown> = {},
  positional: readonly unknown[] = [],
): ArgsResult {
  const keys = Object.keys(definition.args.shape)
  if (positional.length > keys.length) {
    const counted = z.array(z.unknown()).max(keys.length).safeParse(positional)
    if (!counted.success) return { success: false, error: counted.error }
  }
  const input: Record<string, unknown> = {}
  positional.forEach((value, i) => {
    input[keys[i] as string] = value
  })
  const parsed = definition.args.safeParse({ ...input, ...named })
  return parsed.success ? { success: true, data: parsed.data } : { success: false, error: parsed.error }
}
