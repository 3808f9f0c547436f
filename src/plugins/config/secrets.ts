/**
 * Secret configs are write-only through the API (docs/fba-compatibility.md, "Config plugin"): a config whose key ends
 * in `_PASSWORD`, `_SECRET`, `_TOKEN` or `_KEY` (any case; the bare words too), such as the seeded `EMAIL_PASSWORD`,
 * is answered with its value masked on every read. An empty value stays empty, so whether a secret is set remains
 * visible. Writing the mask back leaves the stored value as it is: the admin UI's edit form sends back what it read,
 * and must not replace a secret with the mask.
 */

/** What every read shows instead of a secret's value (fixed, so it tells nothing about the length). */
export const SECRET_MASK = '********'

const SECRET_KEY = /(?:^|_)(?:PASSWORD|SECRET|TOKEN|KEY)$/i

export const isSecretKey = (key: string): boolean => SECRET_KEY.test(key.trim())

/** The value a read answers for config `key`. */
export const shownValue = (key: string, value: string): string =>
  value !== '' && isSecretKey(key) ? SECRET_MASK : value

/**
 * The value a write stores: the stored secret when the mask comes back for a config that was and stays secret;
 * otherwise what was sent (so renaming a secret to a non-secret key with the mask stores the mask, never the secret).
 */
export function storedValue(stored: { key: string; value: string } | undefined, sent: { key: string; value: string }) {
  const keep = stored && sent.value === SECRET_MASK && isSecretKey(stored.key) && isSecretKey(sent.key)
  return keep ? stored.value : sent.value
}
