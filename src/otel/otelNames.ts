/**
 * The names of every span attribute and metric `gstr-session/otel` records, in one place (the
 * guide's table is checked against this list). Durations are in seconds, as OpenTelemetry's
 * conventions have them.
 */
export const OTEL_METRICS = {
  /** Counter: provider calls, by `gstr.step`, `gstr.provider`, `gstr.outcome` (`ok`, `error`), `error.type`, `gstr.gstn_code`. */
  providerCalls: 'gstr.provider.calls',
  /** Histogram (s): how long provider calls took, by `gstr.step`, `gstr.provider`, `gstr.outcome`. */
  providerCallDuration: 'gstr.provider.call.duration',
  /** Counter: SMS sent (OTP requests the provider accepted), by `gstr.provider`. */
  smsSent: 'gstr.sms.sent',
  /** Counter: OTP rounds started (a session with no token began logging in or asking for an OTP). */
  otpRoundsStarted: 'gstr.otp.rounds.started',
  /** Counter: OTP rounds completed (an OTP typed and a token received). */
  otpRoundsCompleted: 'gstr.otp.rounds.completed',
  /** Counter: token refreshes, by `gstr.outcome` (`ok`, `error`). */
  refreshes: 'gstr.refreshes',
  /** Counter: moves between states, by `gstr.from`, `gstr.to`. */
  stateTransitions: 'gstr.state.transitions',
  /** Gauge: the sessions the given managers hold, by `gstr.state`. */
  sessions: 'gstr.sessions',
  /** Histogram (s): waits for a fleet lock, by `gstr.lock` (`session`, `login`), `gstr.outcome`. */
  lockWait: 'gstr.lock.wait.duration',
  /** Counter: what the account's gate did, by `gstr.step`, `gstr.outcome` (`admitted` after a wait, `circuitOpen`, `rateLimited`, `held`), `gstr.why`. */
  gateEvents: 'gstr.gate.events',
  /** Histogram (s): how long the gate held calls (rate limits, in-flight cap, a provider's Retry-After). */
  gateWait: 'gstr.gate.wait.duration',
  /** Counter: due sessions claimed from the shared schedule (a refresh wave's size). */
  scheduleClaimed: 'gstr.schedule.claimed',
} as const;

/** The attributes of a provider call's span. */
export const OTEL_SPAN_ATTRIBUTES = {
  step: 'gstr.step',
  provider: 'gstr.provider',
  /** Only with `includeGstin: true`. */
  gstin: 'gstr.gstin',
  /** Which try of its step in the session: an OTP request's resends, wrong OTPs, failed refreshes, plus one. */
  attempt: 'gstr.attempt',
  errorType: 'error.type',
  errorCode: 'gstr.error.code',
  httpStatus: 'http.response.status_code',
  gstnCode: 'gstr.gstn_code',
} as const;
