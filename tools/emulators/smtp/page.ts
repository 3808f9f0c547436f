/** The SMTP stand-in's inbox page: every message, newest first, as text (HTML bodies are shown as source, never run). */
import type { ReceivedMail } from './mailbox'

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch] ?? ch)

export function inboxPage(messages: readonly ReceivedMail[], smtpPort: number): string {
  const items = messages
    .map(
      (m) => `<article><h2>${escapeHtml(m.subject || '(no subject)')}</h2>
<p class="meta">#${m.id} · ${escapeHtml(m.receivedAt)} · from ${escapeHtml(m.from)} · to ${escapeHtml(m.to.join(', '))}</p>
<pre>${escapeHtml(m.text || m.html || '')}</pre></article>`,
    )
    .join('\n')
  return `<!doctype html><html><head><meta charset="utf-8"><title>Local inbox</title>
<style>body{font:14px system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}article{border-top:1px solid #ccc;padding:.5rem 0}
.meta{color:#666}pre{white-space:pre-wrap;background:#f6f6f6;padding:.5rem}</style></head><body>
<h1>Local inbox</h1><p>SMTP on port ${smtpPort}; ${messages.length} message(s), newest first. JSON: <code>/messages?to=&lt;address&gt;</code>.</p>
${items || '<p>No mail yet.</p>'}</body></html>`
}
