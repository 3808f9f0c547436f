/**
 * The upload permission (fba's `sys:file:upload`). fba seeds no menu carrying it; Stratum seeds a button under the
 * Profile page (module.ts), where the admin UI uploads avatars, so an administrator can grant it (docs/files.md).
 */
export const FILE_PERMS = {
  upload: 'sys:file:upload',
} as const
