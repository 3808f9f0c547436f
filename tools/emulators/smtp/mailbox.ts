/**
 * The SMTP stand-in's mailbox: what it received, newest first, capped (a local inbox, not an archive). Node-only.
 */
import type { ParsedMail } from 'mailparser'

/** One received message as the viewer and `GET /messages` show it. */
export interface ReceivedMail {
  id: number
  /** ISO time of receipt. */
  receivedAt: string
  /** Envelope sender and recipients (what the client said in MAIL FROM / RCPT TO). */
  from: string
  to: string[]
  subject: string
  text: string
  html: string | null
}

export const MAILBOX_LIMIT = 200

export class Mailbox {
  #messages: ReceivedMail[] = []
  #nextId = 1

  add(envelope: { from: string; to: string[] }, parsed: ParsedMail): ReceivedMail {
    const mail: ReceivedMail = {
      id: this.#nextId++,
      receivedAt: new Date().toISOString(),
      from: envelope.from,
      to: envelope.to,
      subject: parsed.subject ?? '',
      text: parsed.text ?? '',
      html: typeof parsed.html === 'string' ? parsed.html : null,
    }
    this.#messages.unshift(mail)
    this.#messages.length = Math.min(this.#messages.length, MAILBOX_LIMIT)
    return mail
  }

  /** Newest first; `to` keeps the messages addressed to that recipient (case-insensitive). */
  list(to?: string): ReceivedMail[] {
    if (!to) return [...this.#messages]
    const wanted = to.toLowerCase()
    return this.#messages.filter((m) => m.to.some((r) => r.toLowerCase() === wanted))
  }

  clear(): void {
    this.#messages = []
  }
}
