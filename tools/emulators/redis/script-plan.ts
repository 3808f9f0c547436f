import type { RedisArg } from './command-args'

/** An emulated command as one Lua script call (sent as EVAL), or the argument error Redis would answer. */
export type ScriptPlan = { script: string; keys: RedisArg[]; args: RedisArg[] } | { error: string }
