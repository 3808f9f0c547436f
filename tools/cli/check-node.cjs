// The Node version gate. The npm scripts run it before tsx, vitest or wrangler (which may themselves fail on an old
// Node, late and cryptically), and the `stratum` CLI imports it first. It prints ONE line saying what is wrong and how
// to fix it, and exits 1. `--warn` (used by `npm install`) prints the line and exits 0: the installed packages are
// the same on every Node version, so switching Node afterwards needs no reinstall.
// Plain CommonJS with nothing newer than ES2015 on purpose: it must run on any Node a new user may have.
// The required version is package.json's `engines.node` (one source; `.nvmrc` names the major version for nvm/fnm).
'use strict'
var engines = require('../../package.json').engines.node
var wanted = /(\d+)\.(\d+)/.exec(engines) || /(\d+)/.exec(engines)
var needMajor = Number(wanted[1])
var needMinor = Number(wanted[2] || 0)

function problem(version) {
  var parts = String(version).replace(/^v/, '').split('.')
  var major = Number(parts[0])
  var minor = Number(parts[1])
  if (major > needMajor || (major === needMajor && minor >= needMinor)) return null
  return [
    `stratum: Node.js ${needMajor}.${needMinor} or newer is required, but this is Node.js ${version}`,
    ` (${process.execPath}); install Node ${needMajor} with \`nvm install\` or \`fnm use\` (both read .nvmrc)`,
    ', or from https://nodejs.org, then run the command again',
  ].join('')
}

var message = problem(process.versions.node)
if (message) {
  console.error(message)
  if (process.argv.indexOf('--warn') < 0) process.exit(1)
}

module.exports = { problem: problem }
