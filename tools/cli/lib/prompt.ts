/** Terminal prompts of the CLI. */

/** Whether the CLI can ask the person running it (stdin and stderr are a terminal). */
export const canPrompt = (): boolean => Boolean(process.stdin.isTTY && process.stderr.isTTY)

/**
 * Asks for a secret on the terminal without echoing it (raw mode: nothing typed is shown or kept in a history).
 * Enter ends the answer, Backspace deletes, Ctrl-C or Ctrl-D cancels (rejects).
 */
export function askSecret(question: string): Promise<string> {
  const input = process.stdin
  const output = process.stderr
  return new Promise((resolve, reject) => {
    let value = ''
    const finish = (error?: Error) => {
      input.off('data', onData)
      input.setRawMode(false)
      input.pause()
      output.write('\n')
      if (error) reject(error)
      else resolve(value)
    }
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n') return finish()
        if (ch === '\u0003' || ch === '\u0004') return finish(new Error('cancelled'))
        if (ch === '\u007f' || ch === '\b') value = value.slice(0, -1)
        else if (ch >= ' ') value += ch
      }
    }
    output.write(question)
    input.setEncoding('utf8')
    input.setRawMode(true)
    input.resume()
    input.on('data', onData)
  })
}
