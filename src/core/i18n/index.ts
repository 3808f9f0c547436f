/**
 * Message catalogue and language negotiation. Every user-facing text is a key; `en-US` is the default and the
 * reference, other locales must be complete (enforced by their `Record<MessageKey, string>` type).
 */
import { enUS } from './en-US'
import { zhCN } from './zh-CN'

export type MessageKey = keyof typeof enUS
export type MessageParams = Record<string, string | number>

export const LANGUAGES = ['en-US', 'zh-CN'] as const
export type Lang = (typeof LANGUAGES)[number]
export const DEFAULT_LANG: Lang = 'en-US'

const catalogues: Record<Lang, Record<MessageKey, string>> = { 'en-US': enUS, 'zh-CN': zhCN }

/** Primary language subtag → the locale we serve for it (so `zh-TW` or `en-GB` still get a useful answer). */
const byPrimary: Record<string, Lang> = { en: 'en-US', zh: 'zh-CN' }

export function t(lang: Lang, key: MessageKey, params?: MessageParams): string {
  const template = catalogues[lang][key]
  if (!params) return template
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole))
}

export function isMessageKey(value: string): value is MessageKey {
  return value in enUS
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
