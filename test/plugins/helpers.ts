/**
 * Plugin-system test helpers: an app built with extra (fake) plugins next to the registry's (call it through
 * `harnessFor(appWith(...))`, helpers/harness.ts; same bindings, so tokens from `helpers/auth.ts` work on both), and
 * a minimal ZIP reader to check downloads.
 */
import { type App, createApp } from '../../src/app/app'
import { PLUGINS } from '../../src/plugins/registry'
import type { PluginManifest } from '../../src/plugins/types'

export function appWith(...extra: PluginManifest[]): App {
  return createApp({ plugins: [...PLUGINS, ...extra] })
}

export interface ZipFile {
  name: string
  data: Uint8Array
  crc: number
  method: number
}

/** Reads a ZIP without a comment: end record → central directory → each local header and its stored data. */
export function readZip(bytes: Uint8Array): ZipFile[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const end = bytes.length - 22
  if (view.getUint32(end, true) !== 0x06054b50) throw new Error('no end-of-central-directory record')
  const count = view.getUint16(end + 10, true)
  let at = view.getUint32(end + 16, true)
  const decoder = new TextDecoder()
  const files: ZipFile[] = []
  for (let i = 0; i < count; i++) {
    if (view.getUint32(at, true) !== 0x02014b50) throw new Error(`bad central header ${i}`)
    const method = view.getUint16(at + 10, true)
    const crc = view.getUint32(at + 16, true)
    const size = view.getUint32(at + 20, true)
    const nameLength = view.getUint16(at + 28, true)
    const extra = view.getUint16(at + 30, true)
    const comment = view.getUint16(at + 32, true)
    const offset = view.getUint32(at + 42, true)
    const name = decoder.decode(bytes.subarray(at + 46, at + 46 + nameLength))
    if (view.getUint32(offset, true) !== 0x04034b50) throw new Error(`bad local header for ${name}`)
    const localName = view.getUint16(offset + 26, true)
    const localExtra = view.getUint16(offset + 28, true)
    const start = offset + 30 + localName + localExtra
    files.push({ name, data: bytes.subarray(start, start + size), crc, method })
    at += 46 + nameLength + extra + comment
  }
  return files
}
