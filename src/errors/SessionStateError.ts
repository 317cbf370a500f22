import { GstrError } from './GstrError.js';

/**
 * A session call does not fit the session's state: an OTP submitted when none is pending,
 * credentials asked of a session that is logged out or stopped, a wait cut short by logout.
 */
export class SessionStateError extends GstrError {
  override readonly name = 'SessionStateError';
  override readonly code: string = 'GSTR_SESSION_STATE';
  /** The call that was refused, e.g. `submitOtp`. */
  readonly operation: string;
  /** The session's state at the time. */
  readonly state: string;

  constructor(operation: string, state: string, detail: string) {
    super(`${operation} is not possible in state ${state}: ${detail}`, { step: 'session' });
    this.operation = operation;
    this.state = state;
  }
}
