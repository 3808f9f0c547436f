import type { Child } from 'hono/jsx'
import { raw } from 'hono/utils/html'

/**
 * Minimal HTML shell shared by the server-rendered pages (styles are inline attributes-free CSS in /assets). The
 * doctype keeps browsers in standards mode: without it they render in quirks mode.
 */
export function Layout(props: { title: string; children: Child; head?: Child }) {
  return (
    <>
      {raw('<!DOCTYPE html>')}
      <html lang="en">
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <title>{props.title}</title>
          <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
          {props.head}
        </head>
        <body>{props.children}</body>
      </html>
    </>
  )
}
