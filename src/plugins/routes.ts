/**
 * `/sys/plugins/*` (docs/fba-compatibility.md, "Plugins"): plugin administration, superusers only. See ./service.ts
 * for the behaviour and docs/plugins.md for the decisions (install/uninstall answer 405: plugins are installed at
 * build time). `/sys/plugins/changed` is registered before `/sys/plugins/{plugin}` so `changed` never reads as a
 * plugin name.
 */

import { defineRoute, jsonEnvelope, z } from '../http/openapi'
import { ok } from '../http/respond'
import { createRouter } from '../http/router'
import { PluginAdminService } from './service'
import type { PluginManifest } from './types'

const TAGS = ['System plugins']

const PluginApiSchema = z.object({
  prefix: z.string().openapi({ example: '/sys/notices' }),
  tags: z.string().openapi({ example: 'System notices' }),
})

export const PluginInfoSchema = z
  .object({
    plugin: z.object({
      name: z.string().openapi({ example: 'notice' }),
      summary: z.string().openapi({ example: 'Notices' }),
      version: z.string().openapi({ example: '0.0.2' }),
      description: z.string(),
      author: z.string(),
      tags: z.array(z.string()).openapi({ example: ['notification'] }),
      depends_on: z.array(z.string()),
      required: z.boolean().openapi({ description: 'Required plugins cannot be disabled or removed' }),
      enable: z.enum(['1', '0']).openapi({ description: "'1' enabled, '0' disabled" }),
    }),
    app: z.union([z.object({ extend: z.literal('admin') }), z.object({ router: z.array(z.enum(['v1', 'v2'])) })]),
    api: z
      .record(z.string(), PluginApiSchema)
      .optional()
      .openapi({ description: 'Extend plugins: their routes per API version' }),
    settings: z.record(z.string(), z.unknown()).optional().openapi({ description: 'Default settings' }),
  })
  .openapi('PluginInfo')

const PluginParamSchema = z.object({
  plugin: z
    .string()
    .min(1)
    .max(64)
    .openapi({ param: { name: 'plugin', in: 'path' }, example: 'notice', description: 'Plugin name' }),
})

const list = defineRoute({
  method: 'get',
  path: '/sys/plugins',
  tags: TAGS,
  summary: 'Every plugin built into this deployment, with its run-time flag',
  access: 'superuser',
  responses: { 200: jsonEnvelope(z.array(PluginInfoSchema), 'Plugins') },
})

const changed = defineRoute({
  method: 'get',
  path: '/sys/plugins/changed',
  tags: TAGS,
  summary: 'Whether the database lags behind the built-in plugins (run `stratum db migrate && stratum db seed`)',
  access: 'superuser',
  responses: { 200: jsonEnvelope(z.boolean(), 'true when plugins were added or removed since the last seed') },
})

const install = defineRoute({
  method: 'post',
  path: '/sys/plugins',
  tags: TAGS,
  summary: 'Install a plugin — refused (405): plugins are installed at build time (`stratum plugin add <path>`)',
  access: 'superuser',
  responses: { 405: { $ref: '#/components/responses/MethodNotAllowed' } },
})

const toggle = defineRoute({
  method: 'put',
  path: '/sys/plugins/{plugin}/status',
  tags: TAGS,
  summary: 'Switch a plugin on or off (takes effect at once; required plugins stay on)',
  access: 'superuser',
  errors: [404, 409],
  request: { params: PluginParamSchema },
  responses: { 200: jsonEnvelope(z.null(), 'Switched') },
})

const download = defineRoute({
  method: 'get',
  path: '/sys/plugins/{plugin}',
  tags: TAGS,
  summary: 'Download a plugin: its manifest (plugin.json), README and sources as a ZIP',
  access: 'superuser',
  errors: [404],
  request: { params: PluginParamSchema },
  responses: {
    200: {
      description: 'ZIP archive (`Content-Disposition: attachment; filename=<plugin>.zip`)',
      content: { 'application/x-zip-compressed': { schema: z.string().openapi({ format: 'binary' }) } },
    },
  },
})

const uninstall = defineRoute({
  method: 'delete',
  path: '/sys/plugins/{plugin}',
  tags: TAGS,
  summary: 'Uninstall a plugin — refused (405): plugins are removed at build time (`stratum plugin remove <name>`)',
  access: 'superuser',
  errors: [404],
  request: { params: PluginParamSchema },
  responses: { 405: { $ref: '#/components/responses/MethodNotAllowed' } },
})

export function pluginAdminRoutes(plugins: readonly PluginManifest[]) {
  const service = (c: ConstructorParameters<typeof PluginAdminService>[0]) => new PluginAdminService(c, plugins)
  return createRouter()
    .openapi(list, async (c) => ok(c, await service(c).list()))
    .openapi(changed, async (c) => ok(c, await service(c).changed()))
    .openapi(install, (c) => service(c).refuseInstall())
    .openapi(toggle, async (c) => {
      await service(c).toggle(c.req.valid('param').plugin)
      return ok(c, null)
    })
    .openapi(download, async (c) => {
      const { plugin } = c.req.valid('param')
      const zip = await service(c).archive(plugin)
      return c.body(zip as Uint8Array<ArrayBuffer>, 200, {
        'Content-Type': 'application/x-zip-compressed',
        'Content-Disposition': `attachment; filename=${plugin}.zip`,
      })
    })
    .openapi(uninstall, (c) => service(c).refuseUninstall(c.req.valid('param').plugin))
}
