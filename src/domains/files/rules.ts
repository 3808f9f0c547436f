/**
 * fba's upload rules (docs/fba-compatibility.md, "Files"): which extensions are taken, how large each kind may be, and
 * which sniffed types each extension may hold. MP4 and QuickTime share a container format, and files of either are
 * often named with the other's extension, so `.mp4` and `.mov` accept both.
 */
import type { SniffedType } from './sniff'

export type FileKind = 'image' | 'video'

const MB = 1024 * 1024

/** fba's limits: images 5 MB, videos 20 MB (its `UPLOAD_IMAGE_SIZE_MAX`, `UPLOAD_VIDEO_SIZE_MAX`). */
export const MAX_BYTES: Readonly<Record<FileKind, number>> = { image: 5 * MB, video: 20 * MB }

/**
 * The upload route's body limit: the largest file plus room for the multipart framing (boundaries, part headers, a
 * long file name). Everything else keeps `BODY_LIMIT_BYTES`.
 */
export const UPLOAD_BODY_LIMIT = MAX_BYTES.video + 64 * 1024

interface Rule {
  kind: FileKind
  /** Sniffed types a file with this extension may be. */
  types: readonly SniffedType[]
}

const ISO_VIDEO: readonly SniffedType[] = ['video/mp4', 'video/quicktime']

const RULES: Readonly<Record<string, Rule>> = {
  jpg: { kind: 'image', types: ['image/jpeg'] },
  jpeg: { kind: 'image', types: ['image/jpeg'] },
  png: { kind: 'image', types: ['image/png'] },
  gif: { kind: 'image', types: ['image/gif'] },
  webp: { kind: 'image', types: ['image/webp'] },
  mp4: { kind: 'video', types: ISO_VIDEO },
  mov: { kind: 'video', types: ISO_VIDEO },
  avi: { kind: 'video', types: ['video/x-msvideo'] },
  flv: { kind: 'video', types: ['video/x-flv'] },
}

/** fba's extension: the text after the last `.`, lower-cased (the whole name when it has no dot). */
export function extensionOf(name: string): string {
  return name.slice(name.lastIndexOf('.') + 1).toLowerCase()
}

/** The rule of an extension, or undefined for a format fba does not take. */
export function ruleFor(ext: string): Rule | undefined {
  return Object.hasOwn(RULES, ext) ? RULES[ext] : undefined
}

/** The extensions taken, for the docs and messages. */
export const ALLOWED_EXTENSIONS = Object.keys(RULES)
