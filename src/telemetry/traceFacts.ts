/**
 * What the trace points say about OTPs and refreshes, written once for every reader of them
 * (the OpenTelemetry bridge's metrics, the operator console's figures).
 */

/** States with no token from which a session begins an OTP round. */
const ROUND_STARTS: ReadonlySet<string> = new Set(['loggedOut', 'failed', 'expired']);
/** The steps a round begins with. */
const ROUND_STEPS: ReadonlySet<string> = new Set(['loggingIn', 'requestingOtp']);

/** Whether a move between states begins an OTP round (a session without a token asks). */
export function isRoundStart(from: string, to: string): boolean {
  return ROUND_STARTS.has(from) && ROUND_STEPS.has(to);
}

/** Whether a move between states completes an OTP round (an OTP typed, a token received). */
export function isRoundCompletion(from: string, to: string): boolean {
  return from === 'verifyingOtp' && to === 'authenticated';
}

/** Whether a provider call that ended well sent an SMS to a taxpayer. */
export function isSmsStep(step: string): boolean {
  return step === 'requestOtp';
}

/** Whether a provider call was a token refresh. */
export function isRefreshStep(step: string): boolean {
  return step === 'refreshToken';
}
