/** The generated module's behaviour and wiring: service, routes, perms, seed (menus), messages, module. */
import { commentText, sortNames, str } from './literal'
import type { Model } from './model'
import { identifier } from './naming'
import { capitalize } from './render-data'

const join = (lines: readonly string[]) => `${lines.join('\n')}\n`

export function renderService(m: Model): string {
  const C = m.className
  const S = m.schemaName
  return join([
    `/** ${commentText(m.spec.doc_comment)}: plain CRUD; a missing id is a 404, deleting ids already gone is not an error. */`,
    "import type { Context } from 'hono'",
    "import { NotFoundError } from '../../core/errors'",
    "import type { AppEnv } from '../../http/context'",
    "import type { ListResult, RepositoryDb } from '../../infra/db/repository'",
    "import { required } from '../../infra/services'",
    `import { ${sortNames([`type ${S}Body`, `type ${S}ListQuery`, `to${C}Values`]).join(', ')} } from './dto'`,
    `import { ${C}Repository } from './repository'`,
    `import type { ${C} } from './schema'`,
    '',
    `export interface ${C}ServiceDeps {`,
    '  db: RepositoryDb',
    '}',
    '',
    `export const ${m.stem}ServiceDeps = (c: Context<AppEnv>): ${C}ServiceDeps => ({`,
    "  db: required(c.get('services').db, 'database'),",
    '})',
    '',
    `export class ${C}Service {`,
    `  readonly repository: ${C}Repository`,
    '',
    `  constructor(deps: ${C}ServiceDeps) {`,
    `    this.repository = new ${C}Repository(deps.db)`,
    '  }',
    '',
    `  async get(id: number): Promise<${C}> {`,
    '    const row = await this.repository.get(id)',
    `    if (!row) throw new NotFoundError('${m.notFoundKey}')`,
    '    return row',
    '  }',
    '',
    `  all(): Promise<${C}[]> {`,
    '    return this.repository.all()',
    '  }',
    '',
    `  list(query: ${S}ListQuery): Promise<ListResult<${C}>> {`,
    '    const { page, size, ...filters } = query',
    '    return this.repository.list({ page, size, filters })',
    '  }',
    '',
    `  create(body: ${S}Body): Promise<${C}> {`,
    `    return this.repository.create(to${C}Values(body))`,
    '  }',
    '',
    `  async update(id: number, body: ${S}Body): Promise<${C}> {`,
    `    const row = await this.repository.update(id, to${C}Values(body))`,
    `    if (!row) throw new NotFoundError('${m.notFoundKey}')`,
    '    return row',
    '  }',
    '',
    '  delete(ids: readonly number[]): Promise<number> {',
    '    return this.repository.deleteMany([...new Set(ids)])',
    '  }',
    '}',
  ])
}

export function routesFactory(m: Model): string {
  return `${m.stem}Routes`
}

export function renderRoutes(m: Model): string {
  const C = m.className
  const S = m.schemaName
  const P = `${m.constName}_PERMS`
  const label = m.label
  const tag = m.spec.tag ?? capitalize(label)
  const dtos = sortNames([
    `Delete${S}sBodySchema`,
    `${S}BodySchema`,
    `${S}DetailSchema`,
    `${S}ListQuerySchema`,
    `${S}PkParamSchema`,
    `Page${S}DetailSchema`,
    `to${S}Detail`,
  ])
  // The resource's name in the file (`shopItem`; a reserved word gets `Crud`).
  const resource = identifier(m.stem, 'Crud')
  const op = (call: string, options: string[], handler: string, extra?: string) => [
    `    ${resource}.${call}(`,
    '      {',
    ...options.map((o) => `        ${o},`),
    '      },',
    `      ${handler},`,
    ...(extra ? [`      ${extra},`] : []),
    '    ),',
  ]
  return join([
    '/**',
    ` * \`${m.path}\` (${m.version}): ${commentText(m.spec.doc_comment)}.`,
    ` * Reads need a signed-in user; writes need \`${m.permPrefix}:add|edit|del\`.`,
    ' */',
    "import { crudRoutes } from '../../http/crud'",
    "import { createRouter } from '../../http/router'",
    'import {',
    ...dtos.map((d) => `  ${d},`),
    "} from './dto'",
    `import { ${P} } from './perms'`,
    `import { ${C}Service, ${m.stem}ServiceDeps } from './service'`,
    '',
    `const ${resource} = crudRoutes({`,
    `  path: ${str(m.path)},`,
    `  tags: [${str(tag)}],`,
    `  pk: ${S}PkParamSchema,`,
    `  perms: ${P},`,
    `  service: (c) => new ${C}Service(${m.stem}ServiceDeps(c)),`,
    '})',
    '',
    `export function ${routesFactory(m)}() {`,
    '  return createRouter().openapiRoutes([',
    ...op(
      'all',
      [`summary: ${str(`Every ${label}`)}`, `data: ${S}DetailSchema`, `description: ${str(`Every ${label}`)}`],
      `async (s) => (await s.all()).map(to${S}Detail)`,
    ),
    ...op(
      'detail',
      [`summary: ${str(`A ${label}`)}`, `data: ${S}DetailSchema`, `description: ${str(capitalize(label))}`],
      `async (s, pk) => to${S}Detail(await s.get(pk))`,
    ),
    ...op(
      'list',
      [
        `summary: ${str(`${capitalize(label)} rows, paged (newest first)`)}`,
        `query: ${S}ListQuerySchema`,
        `page: Page${S}DetailSchema`,
        `description: ${str(`Page of ${label} rows`)}`,
      ],
      '(s, query) => s.list(query)',
      `to${S}Detail`,
    ),
    ...op(
      'create',
      [
        `summary: ${str(`Create a ${label}`)}`,
        `body: ${S}BodySchema`,
        `description: ${str(`${capitalize(label)} created`)}`,
      ],
      '(s, body) => s.create(body)',
    ),
    ...op(
      'update',
      [
        `summary: ${str(`Update a ${label}`)}`,
        `body: ${S}BodySchema`,
        `description: ${str(`${capitalize(label)} updated`)}`,
      ],
      '(s, pk, body) => s.update(pk, body)',
    ),
    ...op(
      'remove',
      [
        `summary: ${str(`Delete ${label} rows (ids already gone are ignored)`)}`,
        `body: Delete${S}sBodySchema`,
        `description: ${str(`${capitalize(label)} rows deleted`)}`,
      ],
      '(s, { pks }) => s.delete(pks)',
    ),
    '  ])',
    '}',
  ])
}

export function renderPerms(m: Model): string {
  return join([
    `/** Permission codes the ${m.label} routes check (the seeded buttons under ${m.className} carry the same codes). */`,
    `export const ${m.constName}_PERMS = {`,
    `  add: '${m.permPrefix}:add',`,
    `  edit: '${m.permPrefix}:edit',`,
    `  delete: '${m.permPrefix}:del',`,
    '} as const',
  ])
}

/** The sidebar menu's name (vben route name) and its page path. */
export const menuName = (m: Model) => m.className

export function renderSeed(m: Model): string {
  const MENU = `${m.constName}_MENU`
  const P = `${m.constName}_PERMS`
  return join([
    `/** The ${m.label} menu under System and its add/edit/delete buttons (placed by name, docs/architecture.md). */`,
    "import type { MenuByName } from '../menus/by-name'",
    `import { ${P} } from './perms'`,
    '',
    `export const ${MENU} = '${menuName(m)}'`,
    '',
    'const button = (title: string, name: string, perms: string): MenuByName => ({',
    '  name,',
    '  title,',
    `  parent: ${MENU},`,
    '  type: 2,',
    '  sort: 0,',
    '  perms,',
    '  display: 0,',
    '})',
    '',
    `export const ${m.constName}_MENUS: MenuByName[] = [`,
    '  {',
    `    name: ${MENU},`,
    `    title: ${str(m.spec.doc_comment)},`,
    "    parent: 'System',",
    `    path: ${str(m.path)},`,
    `    component: ${str(`${m.path}/index`)},`,
    '    type: 1,',
    '    sort: 0,',
    '    display: 1,',
    '  },',
    `  button('Add', 'Add${menuName(m)}', ${P}.add),`,
    `  button('Edit', 'Edit${menuName(m)}', ${P}.edit),`,
    `  button('Delete', 'Delete${menuName(m)}', ${P}.delete),`,
    ']',
  ])
}

export function renderMessages(m: Model): string {
  const name = `${m.stem}Messages`
  const what = capitalize(m.label)
  return join([
    `/** The ${m.label} module's user-facing messages; the app adds them to the catalogue (core/i18n). */`,
    "import { defineMessages, type MessageKeysOf } from '../../core/i18n'",
    '',
    `export const ${name} = defineMessages({`,
    "  'en-US': {",
    `    '${m.notFoundKey}': ${str(`${what} not found`)},`,
    '  },',
    "  'zh-CN': {",
    `    '${m.notFoundKey}': ${str(`${commentText(m.spec.doc_comment)}不存在`)},`,
    '  },',
    '})',
    '',
    "declare module '../../core/i18n' {",
    `  interface ModuleMessages extends MessageKeysOf<typeof ${name}> {}`,
    '}',
  ])
}

/** The module's export, as listed in `DOMAINS` (src/app/domains.ts). */
export const moduleExport = (m: Model) => `${m.stem}Module`

export function renderModule(m: Model): string {
  return join([
    `/** ${commentText(m.spec.doc_comment)} (\`${m.spec.table_name}\`), generated by the code generator (docs/codegen.md). */`,
    "import { defineDomain } from '../module'",
    `import { ${m.stem}Messages } from './messages'`,
    `import { ${m.constName}_PERMS } from './perms'`,
    `import { ${routesFactory(m)} } from './routes.${m.version}'`,
    "import * as schema from './schema'",
    `import { ${m.constName}_MENUS } from './seed'`,
    '',
    `export const ${moduleExport(m)} = defineDomain({`,
    `  name: '${m.folder}',`,
    `  routes: { ${m.version}: ${routesFactory(m)} },`,
    '  tables: schema,',
    `  menus: ${m.constName}_MENUS,`,
    `  permissions: ${m.constName}_PERMS,`,
    `  messages: ${m.stem}Messages,`,
    '})',
  ])
}
