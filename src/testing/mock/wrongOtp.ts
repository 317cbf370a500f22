/**
 * A six-digit OTP that is certainly not `sms` (the one the taxpayer received): what a person
 * who mistyped would send. One home, so every test means the same thing by "a wrong OTP".
 *
 * @example
 * ```ts
 * await expect(session.submitOtp(wrongOtpFor(mock.otpFor(gstin)))).rejects.toThrow();
 * ```
 */
export function wrongOtpFor(sms: string | undefined): string {
  return sms === '000000' ? '111111' : '000000';
}
