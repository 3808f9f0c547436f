/**
 * `public/` served as Workers Static Assets serves it, for the Node, Bun and Deno hosts: the same `ASSETS` binding the
 * app reads (plugin sources, src/plugins/sources.ts), files answered before the app (except wrangler.toml's
 * `run_worker_first` paths) and the security and cache headers of `public/_headers`.
 *
 * The file list is read once at start: a request only looks a path up in a map (no path from a request ever reaches
 * the file system, so `..` cannot escape the folder), and files are read on demand.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { extname, join, relative, sep } from 'node:path'

/** Paths the app answers although a file exists (wrangler.toml `run_worker_first`). */
const APP_FIRST = ['/_plugin-sources/']

const CONTENT_TYPES: Record<string, string> = {
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json',
  '.html': 'text/html; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
  '.map': 'application/json',
}

/** One `_headers` rule: a path pattern (`*` matches any run of characters) and the headers it adds. */
interface HeaderRule {
  pattern: RegExp
  headers: [string, string][]
}

/** Cloudflare's `_headers` format: an unindented path line, then indented `Name: value` lines; `#` comments. */
export function parseHeadersFile(text: string): HeaderRule[] {
  const rules: HeaderRule[] = []
  for (const line of text.split(/\r?\n/)) {
    if (!line.trim() || line.trimStart().startsWith('#')) continue
    if (!/^\s/.test(line)) {
      const source = line
        .trim()
        .replace(/[.+?^${}()|[\]\\]/g, '\\$&')
        .replaceAll('*', '.*')
      rules.push({ pattern: new RegExp(`^${source}$`), headers: [] })
      continue
    }
    const colon = line.indexOf(':')
    const rule = rules.at(-1)
    if (rule && colon > 0) rule.headers.push([line.slice(0, colon).trim(), line.slice(colon + 1).trim()])
  }
  return rules
}

function listFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name))
}

function safeDecode(path: string): string | undefined {
  try {
    return decodeURIComponent(path)
  } catch {
    return undefined
  }
}

export interface StaticAssets {
  /** The `ASSETS` binding: the file at the URL's path, or 404. */
  fetch(input: Request | string): Promise<Response>
  /** Whether a public request for this path is a file (answered before the app). */
  serves(pathname: string): boolean
}

export function staticAssets(dir: string): StaticAssets {
  const files = new Map<string, string>()
  let rules: HeaderRule[] = []
  try {
    for (const file of listFiles(dir)) {
      const path = `/${relative(dir, file).split(sep).join('/')}`
      if (path === '/_headers') rules = parseHeadersFile(readFileSync(file, 'utf8'))
      else files.set(path, file)
    }
  } catch {
    // No public/ folder (a trimmed image): the app answers everything, as a Worker without assets.
  }
  for (const [path, file] of [...files]) {
    // `/docs/` → `/docs/index.html`, as Workers' default `auto-trailing-slash` HTML handling.
    if (path.endsWith('/index.html')) files.set(path.slice(0, -'index.html'.length), file)
  }

  return {
    serves: (pathname) => files.has(pathname) && !APP_FIRST.some((prefix) => pathname.startsWith(prefix)),
    async fetch(input) {
      const url = new URL(typeof input === 'string' ? input : input.url)
      const pathname = safeDecode(url.pathname)
      const file = pathname === undefined ? undefined : files.get(pathname)
      if (!file) return new Response('Not Found', { status: 404 })
      const headers = new Headers({ 'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream' })
      for (const rule of rules) {
        if (rule.pattern.test(pathname as string)) for (const [name, value] of rule.headers) headers.set(name, value)
      }
      const method = typeof input === 'string' ? 'GET' : input.method
      const body = method === 'HEAD' ? null : await readFile(file)
      return new Response(body, { headers })
    },
  }
}
