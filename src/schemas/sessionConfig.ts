import * as v from 'valibot';
import { countSchema, DurationSchema } from './options.js';
import { parseOptions } from './parse.js';

/** The re-authentication modes. */
export const REAUTH_MODES = ['auto', 'manual'] as const;

/** `auto`: an expired session asks for a new OTP by itself. `manual`: it waits for `session.reauthenticate`. */
export type ReauthMode = (typeof REAUTH_MODES)[number];

/**
 * The one home of the session's tunable numbers: each option's check and its default, side
 * by side. The type, the defaults and the resolved config of every session and of the
 * manager all come from here.
 */
export const SessionConfigSchema = v.object({
  /** Default `auto`. */
  reauth: v.optional(v.picklist(REAUTH_MODES, 'must be auto or manual'), 'auto'),
  /**
   * How long before expiry to refresh (or warn with `session.expiring`), plus up to
   * `refreshJitterMs`; at most half a token's life. Default 10 min, as production GSTN clients.
   */
  refreshLeadMs: v.optional(DurationSchema, 10 * 60_000),
  /**
   * Up to this much is added to the lead, differently for each token, so that sessions whose
   * tokens arrived together do not all refresh in the same second. Default 5 min.
   */
  refreshJitterMs: v.optional(DurationSchema, 5 * 60_000),
  /**
   * A refresh that fails for want of the provider (an outage, a timeout, the network) is tried
   * again after this long, doubled at each failure, with up to a quarter taken off per token
   * so that a fleet does not retry in step; the last try goes out no later than a minute before
   * the token's expiry. 0: never tried again. Default 60 s.
   */
  refreshRetryMs: v.optional(DurationSchema, 60_000),
  /**
   * How many times a failed refresh of one token is tried again at most. Default: no count;
   * tried for as long as the token lives, the last try a minute before its expiry (a lost
   * refresh costs the taxpayer an SMS; the doubling gaps keep the tries few).
   */
  maxRefreshRetries: v.optional(countSchema(0, 100)),
  /** How long an OTP is accepted. Default 10 min, as GSTN. */
  otpValidityMs: v.optional(v.pipe(DurationSchema, v.minValue(1, 'must be positive')), 10 * 60_000),
  /** The shortest time between two OTP requests for one session. Default 30 s. */
  otpResendCooldownMs: v.optional(DurationSchema, 30_000),
  /** Resends allowed per OTP round (a round ends with a token or a failure). Default 3. */
  maxOtpResends: v.optional(countSchema(0, 1000), 3),
  /** Wrong OTPs accepted before the session stops asking. Default 3. */
  maxOtpAttempts: v.optional(countSchema(1, 1000), 3),
  /**
   * How often waiting states compare deadlines with wall-clock time, so that a machine that
   * slept past a deadline acts within this long of waking. Default 30 s.
   */
  clockCheckMs: v.optional(v.pipe(DurationSchema, v.minValue(10, 'must be at least 10')), 30_000),
  /**
   * How long before the portal access duration ends (where the provider reports it) the
   * session announces `access.expiring`, so that the app can tell the taxpayer before an OTP
   * is due. 0: never. Default 3 days.
   */
  accessNoticeMs: v.optional(DurationSchema, 3 * 86_400_000),
  /** Renew the provider access token when it has less than this left. Default 60 s. */
  accessTokenSkewMs: v.optional(DurationSchema, 60_000),
});

/** The tunable numbers of a session; every one has a default (see {@link DEFAULT_SESSION_CONFIG}). */
export type SessionConfig = Readonly<v.InferOutput<typeof SessionConfigSchema>>;

/** The defaults of {@link SessionConfig}. */
export const DEFAULT_SESSION_CONFIG: SessionConfig = Object.freeze(
  v.parse(SessionConfigSchema, {}),
);

/**
 * The config of a session: each option from `input` (other keys are ignored), checked, or its
 * default. Throws `InvalidInputError` naming the option.
 */
export function resolveSessionConfig(input: object, where: string): SessionConfig {
  return parseOptions(SessionConfigSchema, input, where);
}
