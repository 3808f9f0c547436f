/**
 * Message catalogue and language negotiation. Every user-facing text is a key; `en-US` is the default and the
 * reference, other locales must be complete (enforced by the types).
 *
 * The kernel's own messages live here (en-US.ts, zh-CN.ts). A domain or plugin keeps its messages next to its code
 * (`messages.ts`, built with `defineMessages`) and declares their keys by declaration merging, so that a thrown
 * error's key is checked at compile time:
 *
 *   export const userMessages = defineMessages({ 'en-US': { 'user.not_found': '…' }, 'zh-CN': { … } })
 *   declare module '../../core/i18n' {
 *     interface ModuleMessages extends MessageKeysOf<typeof userMessages> {}
 *   }
 *
 * The app adds every listed module's catalogue at assembly (`registerMessages`, src/app/app.ts).
 */
import { enUS } from './en-US'
import { zhCN } from './zh-CN'

export const LANGUAGES = ['en-US', 'zh-CN'] as const
export type Lang = (typeof LANGUAGES)[number]
export const DEFAULT_LANG: Lang = 'en-US'

/** The keys domains and plugins add (declaration merging, see above). */
// biome-ignore lint/suspicious/noEmptyInterface: filled by declaration merging in each module's messages.ts
export interface ModuleMessages {}

export type MessageKey = keyof typeof enUS | keyof ModuleMessages
export type MessageParams = Record<string, string | number>

/** A module's messages: every locale has exactly the keys of `en-US`. */
export type MessageCatalogue<K extends string = string> = { readonly [L in Lang]: Readonly<Record<K, string>> }

/** The keys of a catalogue, as `ModuleMessages` takes them. */
export type MessageKeysOf<C extends MessageCatalogue> = Record<keyof C['en-US'], true>

/** Declares a module's messages; a locale that misses or adds a key is a type error. */
export function defineMessages<const E extends Record<string, string>>(
  catalogue: { 'en-US': E } & { readonly [L in Exclude<Lang, 'en-US'>]: Readonly<Record<keyof E, string>> },
): MessageCatalogue<Extract<keyof E, string>> {
  return catalogue as MessageCatalogue<Extract<keyof E, string>>
}

const catalogues: Record<Lang, Record<string, string>> = { 'en-US': { ...enUS }, 'zh-CN': { ...zhCN } }

/** Adds a module's messages to the catalogue (idempotent: the same key always carries the same text). */
export function registerMessages(catalogue: MessageCatalogue): void {
  for (const lang of LANGUAGES) Object.assign(catalogues[lang], catalogue[lang])
}

/** Primary language subtag → the locale we serve for it (so `zh-TW` or `en-GB` still get a useful answer). */
const byPrimary: Record<string, Lang> = { en: 'en-US', zh: 'zh-CN' }

/** The text of `key` in `lang`; a key no registered catalogue holds reads as the key itself. */
export function t(lang: Lang, key: MessageKey, params?: MessageParams): string {
  const template = catalogues[lang][key] ?? key
  if (!params) return template
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole))
}

export function isMessageKey(value: string): value is MessageKey {
  return value in catalogues['en-US']
}

/**
 * Picks the served language from an `Accept-Language` header: highest q-value first (ties keep header order),
 * exact locale match, then primary subtag; anything unknown falls back to the default.
 */
export function negotiateLanguage(header: string | undefined | null, fallback: Lang = DEFAULT_LANG): Lang {
  if (!header) return fallback
  const ranges = header
    .split(',')
    .map((part, index) => {
      const [tag = '', ...attrs] = part.trim().split(';')
      const q = attrs.map((a) => /^\s*q=([0-9.]+)\s*$/.exec(a)?.[1]).find((v) => v !== undefined)
      return { tag: tag.trim().toLowerCase(), q: q === undefined ? 1 : Number(q), index }
    })
    .filter((r) => r.tag && r.q > 0 && !Number.isNaN(r.q))
    .sort((a, b) => b.q - a.q || a.index - b.index)
  for (const { tag } of ranges) {
    const exact = LANGUAGES.find((l) => l.toLowerCase() === tag)
    if (exact) return exact
    const primary = byPrimary[tag.split('-')[0] ?? '']
    if (primary) return primary
  }
  return fallback
}
