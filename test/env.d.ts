declare namespace Cloudflare {
  interface Env {
    ENVIRONMENT: string
    [key: string]: unknown
  }
}
