// Boots Swagger UI for /docs. Kept as a file (not inline) so the CSP can forbid inline scripts.
window.addEventListener('DOMContentLoaded', () => {
  const root = document.getElementById('swagger-ui')
  const specs = JSON.parse(root.dataset.specs || '[]')
  window.ui = window.SwaggerUIBundle({
    urls: specs,
    'urls.primaryName': specs[0]?.name,
    dom_id: '#swagger-ui',
    deepLinking: true,
    persistAuthorization: true,
    presets: [window.SwaggerUIBundle.presets.apis, window.SwaggerUIStandalonePreset],
    layout: 'StandaloneLayout',
  })
})
