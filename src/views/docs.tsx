import { Layout } from './layout'

/**
 * `/docs`: Scalar's API reference served entirely from the Worker's static assets (`/vendor/scalar`, copied from
 * `@scalar/api-reference` at install time), so it works offline. The picker lists one OpenAPI document per version.
 * Chosen over Swagger UI by time to usable (docs/decisions.md): Scalar renders operations lazily, so the list shows
 * in about half the time. The entry module and the first document are preloaded: both start with the HTML, not after
 * the boot script has loaded.
 */
export function Docs(props: { title: string; specs: { name: string; url: string }[] }) {
  const first = props.specs[0]
  return (
    <Layout
      title={`${props.title} API docs`}
      head={
        <>
          <link rel="modulepreload" href="/vendor/scalar/standalone.esm.js" />
          {first && <link rel="preload" href={first.url} as="fetch" crossorigin="anonymous" />}
          <script type="module" src="/assets/docs-init.js" />
        </>
      }
    >
      <div id="docs" data-specs={JSON.stringify(props.specs)} />
    </Layout>
  )
}
