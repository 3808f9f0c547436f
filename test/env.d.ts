declare namespace Cloudflare {
  interface Env {
    ENVIRONMENT: string
    /** The static assets (wrangler.toml [assets]). */
    ASSETS: Fetcher
    [key: string]: unknown
  }
}
