import { GstrError } from './GstrError.js';

/** A resend was asked for too early (cooldown) or too often (limit); no SMS was sent. */
export class OtpResendRefusedError extends GstrError {
  override readonly name = 'OtpResendRefusedError';
  override readonly code: string = 'GSTR_OTP_RESEND_REFUSED';
  /** `cooldown`: wait `retryAfterMs`; `limit`: no more resends in this round. */
  readonly reason: 'cooldown' | 'limit';
  /** With `cooldown`, how long until a resend is allowed. */
  readonly retryAfterMs: number | undefined;

  constructor(reason: 'cooldown' | 'limit', retryAfterMs?: number) {
    super(
      reason === 'cooldown'
        ? `no new OTP was requested: one was sent less than the cooldown ago; retry in ${Math.ceil((retryAfterMs ?? 0) / 1000)} s`
        : 'no new OTP was requested: the most OTP resends of a round were sent; start the session again',
      { step: 'requestOtp' },
    );
    this.reason = reason;
    this.retryAfterMs = retryAfterMs;
  }
}
