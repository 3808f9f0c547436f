import { Layout } from './layout'

/**
 * `/docs`: Swagger UI served entirely from the Worker's static assets (`/vendor/swagger-ui`, copied from
 * `swagger-ui-dist` at install time), so it works offline. The version picker lists one OpenAPI document per version.
 */
export function Docs(props: { title: string; specs: { name: string; url: string }[] }) {
  return (
    <Layout
      title={`${props.title} API docs`}
      head={
        <>
          <link rel="stylesheet" href="/vendor/swagger-ui/swagger-ui.css" />
          <script src="/vendor/swagger-ui/swagger-ui-bundle.js" defer />
          <script src="/vendor/swagger-ui/swagger-ui-standalone-preset.js" defer />
          <script src="/assets/docs-init.js" defer />
        </>
      }
    >
      <div id="swagger-ui" data-specs={JSON.stringify(props.specs)} />
    </Layout>
  )
}
