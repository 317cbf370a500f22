import { MIN_SECRET_LENGTH, REDACTED } from './secretFields.js';

/** Replaces every occurrence of each secret (of {@link MIN_SECRET_LENGTH} or more characters) in a text. */
export function redactText(text: string, secrets: Iterable<string | undefined>): string {
  let out = text;
  for (const secret of secrets) {
    if (secret && secret.length >= MIN_SECRET_LENGTH && out.includes(secret))
      out = out.split(secret).join(REDACTED);
  }
  return out;
}

/** Whether a text holds any of the secrets. */
export function hasSecret(text: string, secrets: Iterable<string | undefined>): boolean {
  for (const secret of secrets) {
    if (secret && secret.length >= MIN_SECRET_LENGTH && text.includes(secret)) return true;
  }
  return false;
}
