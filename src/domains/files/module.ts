/** Files: fba's upload into the uploads bucket and the route that serves stored files (docs/files.md). */
import { lazyRoutes } from '../../http/lazy-routes'
import { defineDomain } from '../module'
import { filesMessages } from './messages'
import { FILE_PERMS } from './perms'

export const filesModule = defineDomain({
  name: 'files',
  routes: { v1: lazyRoutes(() => import('./routes.v1').then((m) => m.fileRoutes)) },
  // fba seeds no menu with `sys:file:upload` (only superusers upload there); a button under Profile, where the admin
  // UI uploads avatars, lets an administrator grant it.
  menus: [
    { name: 'UploadSysFile', title: '上传文件', parent: 'Profile', type: 2, perms: FILE_PERMS.upload, display: 0 },
  ],
  permissions: FILE_PERMS,
  messages: filesMessages,
})
