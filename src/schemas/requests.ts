import * as v from 'valibot';
import { GstinSchema } from './gstin.js';

/** A GST portal username: trimmed, 1 to 100 characters, no inner whitespace. */
export const UsernameSchema = v.pipe(
  v.string('must be a string'),
  v.trim(),
  v.nonEmpty('must not be empty'),
  v.maxLength(100, 'must be at most 100 characters'),
  v.regex(/^\S+$/, 'must not contain whitespace'),
  // Control characters would reach logs and file names; no portal username has one.
  v.regex(/^[^\p{Cc}]+$/u, 'must not contain control characters'),
);

/**
 * An OTP as GSTN sends it: exactly six ASCII digits. Surrounding ASCII whitespace (a pasted
 * `"123456\n"`) is trimmed; anything else, a non-ASCII space (`\u00a0`) or full-width digits
 * included, is refused. The facade and the machine both go through this one schema.
 */
export const OtpSchema = v.pipe(
  v.string('must be a string'),
  v.transform((otp) => otp.replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, '')),
  v.regex(/^[0-9]{6}$/, 'must be exactly 6 digits'),
);

/** The OTP as it will be sent (see {@link OtpSchema}), or `undefined` when it is not one. */
export function normaliseOtp(otp: unknown): string | undefined {
  const parsed = v.safeParse(OtpSchema, otp);
  return parsed.success ? parsed.output : undefined;
}

/** A non-empty opaque string issued by the provider (appKey, access token...). */
export const OpaqueStringSchema = v.pipe(
  v.string('must be a string'),
  v.nonEmpty('must not be empty'),
);

/** Who the OTP is requested for. */
export const RequestOtpInputSchema = v.object({
  gstin: GstinSchema,
  username: UsernameSchema,
});
