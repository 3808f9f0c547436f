/**
 * The uploads bucket: an R2 bucket binding (wrangler.toml `[[r2_buckets]]`, binding `UPLOADS`). Workers and the Worker
 * tests reach it through the binding (wrangler dev and miniflare emulate R2 locally, persisted under the data folder
 * by `npm run dev`); a host without the binding has no storage, and the upload routes answer 503 (`required()`).
 *
 * Every call waits at most `STORAGE_TIMEOUT_MS` (./deadline.ts): a stalled bucket is a 503, never a hang.
 */
import type { Config } from '../core/config'
import { Deadline } from './deadline'

/** The binding name of the uploads bucket. */
export const UPLOADS_BINDING = 'UPLOADS'

/** What is kept beside a stored file: the type found by sniffing its bytes, and the name it was uploaded under. */
export interface StoredFileMeta {
  contentType: string
  /** The client's file name, only ever shown back in `Content-Disposition` (never part of the key). */
  name: string
}

export interface StoredFile extends StoredFileMeta {
  /** The whole file, or the requested range of it. */
  body: ReadableStream<Uint8Array>
  /** The whole file's size. */
  size: number
  /** The part `body` holds when a range was asked for (the whole file otherwise). */
  range: { offset: number; length: number }
}

/** The port the files domain uses: store bytes under a server-chosen key, open them again. */
export interface FileStorage {
  put(key: string, bytes: ArrayBuffer | Uint8Array, meta: StoredFileMeta): Promise<void>
  /**
   * The file, or undefined when no file has that key. `range` is a request's `Range` header: one range of bytes
   * (`bytes=0-99`, `bytes=100-`, `bytes=-100`) is read alone; any other value reads the whole file.
   */
  get(key: string, range?: string): Promise<StoredFile | undefined>
}

/** The part of an R2 bucket binding used here (without the Workers types, so Node hosts compile this file). */
export interface R2BucketLike {
  put(
    key: string,
    value: ArrayBuffer | Uint8Array,
    options: { httpMetadata: { contentType: string }; customMetadata: Record<string, string> },
  ): Promise<unknown>
  get(key: string, options?: { range?: Headers }): Promise<R2ObjectBodyLike | null>
}

/** R2's range: an offset and length, or a suffix length (its fields may all be present, unused ones undefined). */
interface R2RangeLike {
  offset?: number | undefined
  length?: number | undefined
  suffix?: number | undefined
}

interface R2ObjectBodyLike {
  body: ReadableStream<Uint8Array>
  size: number
  range?: R2RangeLike
  httpMetadata?: { contentType?: string }
  customMetadata?: Record<string, string>
}

/** One byte range, the only kind passed on (R2 parses it; several ranges or junk read the whole file). */
const SINGLE_RANGE = /^bytes=(?:\d+-\d*|-[1-9]\d*)$/

/** R2's answered range as offset and length within a file of `size` bytes. */
function servedRange(range: R2RangeLike | undefined, size: number): { offset: number; length: number } {
  if (!range) return { offset: 0, length: size }
  if (range.suffix !== undefined)
    return { offset: Math.max(0, size - range.suffix), length: Math.min(size, range.suffix) }
  const offset = range.offset ?? 0
  return { offset, length: Math.min(range.length ?? size - offset, size - offset) }
}

function isBucket(value: unknown): value is R2BucketLike {
  const candidate = value as Partial<R2BucketLike> | null | undefined
  return typeof candidate?.put === 'function' && typeof candidate.get === 'function'
}

class R2FileStorage implements FileStorage {
  constructor(
    private readonly bucket: R2BucketLike,
    private readonly deadline: Deadline,
  ) {}

  async put(key: string, bytes: ArrayBuffer | Uint8Array, meta: StoredFileMeta): Promise<void> {
    await this.deadline.run(() =>
      this.bucket.put(key, bytes, {
        httpMetadata: { contentType: meta.contentType },
        customMetadata: { name: meta.name },
      }),
    )
  }

  async get(key: string, range?: string): Promise<StoredFile | undefined> {
    const options = range && SINGLE_RANGE.test(range) ? { range: new Headers({ range }) } : undefined
    const object = await this.deadline.run(() => this.bucket.get(key, options))
    if (!object) return undefined
    return {
      body: object.body,
      size: object.size,
      range: servedRange(options && object.range, object.size),
      contentType: object.httpMetadata?.contentType ?? 'application/octet-stream',
      name: object.customMetadata?.name ?? key,
    }
  }
}

/** The uploads bucket among a Worker's bindings, or undefined on a host without one. */
export function createFileStorage(
  bindings: object | undefined,
  config: Pick<Config, 'STORAGE_TIMEOUT_MS'>,
): FileStorage | undefined {
  const bucket = (bindings as Record<string, unknown> | undefined)?.[UPLOADS_BINDING]
  return isBucket(bucket) ? new R2FileStorage(bucket, new Deadline('storage', config.STORAGE_TIMEOUT_MS)) : undefined
}
