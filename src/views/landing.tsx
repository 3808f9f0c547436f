import { Layout } from './layout'

export interface LandingProps {
  name: string
  version: string
  environment: string
  apiVersions: string[]
}

/** `/`: what this deployment is and where to go next. */
export function Landing(props: LandingProps) {
  return (
    <Layout title={props.name} head={<link rel="stylesheet" href="/assets/site.css" />}>
      <main class="landing">
        <h1>{props.name}</h1>
        <p class="tagline">Enterprise API foundation at the edge.</p>
        <dl>
          <dt>Version</dt>
          <dd data-testid="version">{props.version}</dd>
          <dt>Environment</dt>
          <dd data-testid="environment">{props.environment}</dd>
          <dt>API versions</dt>
          <dd>{props.apiVersions.join(', ')}</dd>
        </dl>
        <nav>
          <a href="/docs">API docs</a>
          <a href="/api/v1/health">Health</a>
          <a href="/api/v1/health/ping">Ping</a>
          {props.apiVersions.map((v) => (
            <a href={`/api/${v}/openapi.json`}>OpenAPI {v}</a>
          ))}
        </nav>
      </main>
    </Layout>
  )
}
