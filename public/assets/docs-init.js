// Boots the docs UI (Scalar's API reference) for /docs. Kept as a file (not inline) so the CSP can forbid inline
// scripts. Everything it loads comes from this origin: the UI from /vendor/scalar (copied at install time), the
// OpenAPI documents from /api/<version>/openapi.json. Nothing that would call a third party is switched on.
import { createApiReference } from '/vendor/scalar/standalone.esm.js'

const root = document.getElementById('docs')
const specs = JSON.parse(root.dataset.specs || '[]')

createApiReference(root, {
  // One document per API version; the picker in the sidebar switches between them, the first is shown first.
  sources: specs.map((spec, i) => ({
    title: spec.name,
    slug: spec.name,
    url: spec.url,
    default: i === 0,
    agent: { disabled: true },
  })),
  // Sign in with `POST /auth/login/swagger` (Test Request), then paste the access token here; kept across reloads.
  authentication: { preferredSecurityScheme: 'bearerAuth' },
  persistAuth: true,
  // Offline and self-contained: no web fonts, no hosted toolbar, no telemetry, no MCP or AI agent.
  withDefaultFonts: false,
  showDeveloperTools: 'never',
  telemetry: false,
  mcp: { disabled: true },
})
