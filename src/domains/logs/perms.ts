/** Permission codes the log routes check (the seeded buttons under the two log menus carry the same codes). */
export const LOG_PERMS = {
  /** Reading login logs (usernames, client IPs, locations): personal data, so not for every signed-in user. */
  loginList: 'log:login:list',
  loginDelete: 'log:login:del',
  loginClear: 'log:login:clear',
  /** Reading operation logs (who did what, from where, with which arguments): as personal as the login log. */
  operaList: 'log:opera:list',
  operaDelete: 'log:opera:del',
  operaClear: 'log:opera:clear',
} as const
