/** Permission codes the log routes check (the seeded buttons under the login-log menu carry the same codes). */
export const LOG_PERMS = {
  loginDelete: 'log:login:del',
  loginClear: 'log:login:clear',
} as const
