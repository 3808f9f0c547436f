/** The generated module's own test (test/domains/<folder>/<folder>.test.ts): CRUD through the API, and its access. */
import { str } from './literal'
import type { Model } from './model'
import { routesFactory } from './render-module'

/** `/shop/shop-order` → `.shop['shop-order']`, as the typed client spells a path. */
function clientPath(path: string): string {
  return path
    .split('/')
    .filter(Boolean)
    .map((segment) => (/^[A-Za-z_$][\w$]*$/.test(segment) ? `.${segment}` : `[${str(segment)}]`))
    .join('')
}

/** `head body` on one line when it fits Biome's 120 columns, else broken after `head` (as Biome breaks an arrow). */
function withinLine(head: string, body: string): string[] {
  const line = `${head} ${body}`
  return line.length <= 120 ? [line] : [head, `  ${body}`]
}

export function renderTest(m: Model): string {
  const body = m.columns.map((c) => `  ${c.wire}: ${c.type.sample(c.wire, c.length)},`)
  const lines = [
    '/**',
    ` * \`${m.path}\` (${m.version}), generated with its module (docs/codegen.md):`,
    ' * create, read, list, update and delete through the API, and the permission codes its writes need.',
    ' */',
    "import { describe, expect, it } from 'vitest'",
    `import type { ${routesFactory(m)} } from '../../../src/domains/${m.folder}/routes.${m.version}'`,
    "import { seedAndSignIn } from '../../helpers/auth'",
    "import { answer, api, failure } from '../../helpers/harness'",
    '',
    '/** `admin` (a superuser) and `test` (no role holding the module): signed in once the database is seeded. */',
    'const tokens = seedAndSignIn()',
    '',
    ...withinLine(
      `const rows = (token?: string) =>`,
      `api<typeof ${routesFactory(m)}>(token, { version: '${m.version}' })${clientPath(m.path)}`,
    ),
    '',
    'const body = {',
    ...body,
    '}',
    '',
    `describe('${m.path}', () => {`,
    "  it('creates, reads, lists, updates and deletes a row', async () => {",
    '    const created = await answer(rows(tokens.admin).$post({ json: body }))',
    '    expect(created.status, JSON.stringify(created.body)).toBe(200)',
    '',
    '    const all = await answer(rows(tokens.admin).all.$get())',
    '    expect(all.data).toHaveLength(1)',
    '    const id = all.data[0]?.id ?? 0',
    '    const detail = await answer(rows(tokens.admin)[":pk"].$get({ param: { pk: String(id) } }))',
    '    expect(detail.data).toMatchObject({ id, ...body })',
    '',
    "    const page = await answer(rows(tokens.admin).$get({ query: { page: '1', size: '10' } }))",
    '    expect(page.data.total).toBe(1)',
    '',
    '    const updated = await answer(rows(tokens.admin)[":pk"].$put({ param: { pk: String(id) }, json: body }))',
    '    expect(updated.status).toBe(200)',
    '',
    '    const deleted = await answer(rows(tokens.admin).$delete({ json: { pks: [id] } }))',
    '    expect(deleted.status).toBe(200)',
    '    const gone = await failure(rows(tokens.admin)[":pk"].$get({ param: { pk: String(id) } }))',
    '    expect(gone.status).toBe(404)',
    '  })',
    '',
    "  it('needs a signed-in user to read and its permission codes to write', async () => {",
    '    expect((await failure(rows().$get({ query: {} }))).status).toBe(401)',
    '    expect((await failure(rows(tokens.test).$post({ json: body }))).status).toBe(403)',
    '  })',
    '})',
  ]
  return `${lines.join('\n').replaceAll('[":pk"]', "[':pk']")}\n`
}
