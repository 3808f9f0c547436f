/**
 * ZIP archives for downloads (a plugin's files, `GET /sys/plugins/{plugin}`; generated code,
 * `GET /code-generation/generations/{pk}`), written by fflate (https://github.com/101arrowz/fflate): DEFLATE,
 * UTF-8 names, one modification time for every entry. Source files are small, so the synchronous writer is fine.
 */
import type { Zippable } from 'fflate'

export interface ZipEntry {
  /** Path inside the archive, `/`-separated, e.g. `notice/README.md`. */
  name: string
  data: string | Uint8Array
}

/**
 * Builds a ZIP archive of `entries` (in order), every entry dated `modified`. fflate is imported on first use: its
 * module builds its Huffman tables when evaluated, which would otherwise be part of every isolate's start-up
 * (docs/benchmarks.md, "Start-up"), for a download few requests make.
 */
export async function createZip(entries: readonly ZipEntry[], modified = new Date()): Promise<Uint8Array> {
  const { zipSync } = await import('fflate')
  const encoder = new TextEncoder()
  const files: Zippable = {}
  for (const entry of entries)
    files[entry.name] = typeof entry.data === 'string' ? encoder.encode(entry.data) : entry.data
  // Made by Unix (os 3) with rw-r--r-- files: Info-ZIP then takes the names as UTF-8, not as MS-DOS code page 437.
  return zipSync(files, { level: 6, mtime: modified, os: 3, attrs: 0o100644 << 16 })
}
