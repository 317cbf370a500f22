/** What replaces a secret wherever one would otherwise show. */
export const REDACTED = '[redacted]';

/** Replaces every occurrence of each secret (of four or more characters) in a text. */
export function redactText(text: string, secrets: readonly (string | undefined)[]): string {
  let out = text;
  for (const secret of secrets) {
    // Very short values (a 1-3 character "password") would blank out ordinary words.
    if (secret && secret.length >= 4) out = out.split(secret).join(REDACTED);
  }
  return out;
}
