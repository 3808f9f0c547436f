/**
 * Secure headers on every response. The CSP allows only same-origin scripts: the docs UI is served from the
 * Worker's static assets (no CDN), and its styles need inline style attributes.
 */
import { secureHeaders as honoSecureHeaders } from 'hono/secure-headers'

export const secureHeaders = honoSecureHeaders({
  contentSecurityPolicy: {
    defaultSrc: ["'self'"],
    scriptSrc: ["'self'"],
    styleSrc: ["'self'", "'unsafe-inline'"],
    imgSrc: ["'self'", 'data:'],
    connectSrc: ["'self'"],
    fontSrc: ["'self'", 'data:'],
    objectSrc: ["'none'"],
    frameAncestors: ["'none'"],
    baseUri: ["'self'"],
  },
  strictTransportSecurity: 'max-age=31536000; includeSubDomains',
  referrerPolicy: 'strict-origin-when-cross-origin',
})
