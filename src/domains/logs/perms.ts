/** Permission codes the log routes check (the seeded buttons under the login-log menu carry the same codes). */
export const LOG_PERMS = {
  /** Reading login logs (usernames, client IPs, locations): personal data, so not for every signed-in user. */
  loginList: 'log:login:list',
  loginDelete: 'log:login:del',
  loginClear: 'log:login:clear',
} as const
