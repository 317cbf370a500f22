/**
 * The indexes of the secrets found in a text (indexes, so that a failing test never prints a
 * secret). An all-digit secret (an OTP) counts only as a number of its own, not as digits
 * inside a longer one such as a timestamp.
 */
export function leakedSecrets(text: string, secrets: Iterable<string>): number[] {
  return [...secrets].flatMap((secret, index) => {
    if (secret.length < 4) return [];
    const found = /^\d+$/.test(secret)
      ? new RegExp(`(?<!\\d)${secret}(?!\\d)`).test(text)
      : text.includes(secret);
    return found ? [index] : [];
  });
}
