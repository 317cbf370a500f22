import { callWithFreshAccess } from '../../machines/actors/withAccess.js';
import type { SessionToken } from '../../machines/gstrSession.types.js';
import { isTokenUsable } from '../../machines/sessionRules.js';
import { isGstrError } from '../errors/isGstrError.js';
import { SessionStateError } from '../errors/SessionStateError.js';
import { ReadOutcomeSchema } from '../providers/contractSchemas.js';
import type { AccessToken, GstrProvider, TaxpayerSession } from '../providers/GstrProvider.js';
import { filingPreference, financialYearOf } from '../reads/builders.js';
import type { ReadOutcome } from '../reads/GstrRead.js';
import { isNicRead, type SessionRead } from '../reads/NicRead.js';
import { parseResponse } from '../schemas/parse.js';
import { secretValuesIn } from '../secrets/redactDeep.js';
import { scrubError } from '../secrets/scrubError.js';
import { traceProviderCall } from '../telemetry/traceChannels.js';
import type { CallOptions, SessionCredentials, WaitOptions } from './types.js';

/** What a read needs of its session. */
export interface ReadHost {
  readonly gstin: string;
  readonly username: string;
  readonly provider: GstrProvider;
  readonly now: () => number;
  /** How long before its expiry an access token is renewed (the sessions' `accessTokenSkewMs`). */
  readonly accessTokenSkewMs: number;
  /**
   * Waits for usable credentials by the rules of `credentials()`; `afterRefusal` also waits out
   * a refresh under way (the token it replaces is the one just refused).
   */
  credentials(options: WaitOptions, afterRefusal: boolean): Promise<SessionCredentials>;
  /** The token and access token the session holds now. */
  held(): { readonly token: SessionToken | undefined; readonly access: AccessToken | undefined };
  /** Tells the session GSTN refused this token (once; a newer token is left alone). */
  tokenRejected(authToken: string): void;
  /** Whether a restored session's first read must be preceded by a probe (once). */
  takeProbe(): boolean;
}

/** Thrown inside a read whose token ran out before a request left: wait for a new one. */
const RESTART = Symbol('the token ran out before the read');

/** The taxpayer session a provider reads with, from what the session holds. */
function taxpayerSessionOf(token: SessionToken): TaxpayerSession {
  return {
    authToken: token.authToken,
    expiresAt: token.expiresAt,
    ...(token.accessExpiresAt === undefined ? {} : { accessExpiresAt: token.accessExpiresAt }),
    secrets: token.secrets,
  };
}

/**
 * Reads returns through a session: waits for usable credentials (the rules of
 * `credentials()`), reads with the provider, and when GSTN refuses the token mid-flight tells
 * the session (it refreshes or expires by itself) and, in auto mode, retries once with the new
 * token; in manual mode it rejects with `ReauthenticationRequiredError`. A provider access
 * token refused (401) costs one silent login and one retry. Only reads come here: they are
 * idempotent, so a retry changes nothing at GSTN.
 */
export async function callRead(
  host: ReadHost,
  request: SessionRead,
  options: CallOptions = {},
): Promise<ReadOutcome> {
  const { provider } = host;
  const read = provider.read;
  if (!provider.capabilities.reads || !read) {
    throw new SessionStateError(
      'call',
      'authenticated',
      `the ${provider.name} provider does not read returns`,
    );
  }
  const waitOptions: WaitOptions = {
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.waitTimeoutMs === undefined ? {} : { timeoutMs: options.waitTimeoutMs }),
  };
  let retried = false;
  for (;;) {
    await host.credentials(waitOptions, retried);
    const { token, access } = host.held();
    // Checked again right before the read: time may have moved on since credentials() (a
    // suspended process): a read never goes out with a token past its expiry.
    if (!isTokenUsable(token, host.now())) continue;
    const taxpayer = {
      gstin: host.gstin,
      username: host.username,
      session: taxpayerSessionOf(token),
    };
    const secrets = secretValuesIn({ token, access, provider });
    let held = access;
    const once = async (what: SessionRead): Promise<ReadOutcome> => {
      // The one access-token rule of every provider call (the chart's actors use it too).
      const { access: used, value } = await callWithFreshAccess(
        { provider, access: held, now: host.now, accessTokenSkewMs: host.accessTokenSkewMs },
        options.signal,
        secrets,
        (withAccess) => {
          // Every request goes out with a live token: one that ran out meanwhile (a
          // re-login, a probe, a suspended process) sends the read back to wait for a new one.
          if (taxpayer.session.expiresAt <= host.now()) throw RESTART;
          return traceProviderCall('call', { provider: provider.name, gstin: host.gstin }, () =>
            read.call(
              provider,
              { ...taxpayer, request: what },
              {
                access: withAccess,
                signal: options.signal,
                timeoutMs: options.timeoutMs,
                maxResponseBytes: options.maxResponseBytes,
                maxReadBytes: options.maxReadBytes,
              },
            ),
          );
        },
      );
      held = used;
      return parseResponse(ReadOutcomeSchema, value, 'call') as ReadOutcome;
    };
    try {
      // A restored session proves it is alive with the cheapest read before the first real one.
      // (The probe is a GSTR read: a NIC session's stale token costs its one replay instead.)
      if (!isNicRead(request) && host.takeProbe())
        await once(filingPreference(financialYearOf(host.now())));
      return await once(request);
    } catch (raw) {
      if (raw === RESTART) continue;
      const error = scrubError(raw, 'call', secrets);
      if (!isGstrError(error, 'TokenRejectedError') || retried) throw error;
      retried = true;
      // The session refreshes where it can (no person needed, also in manual mode); else it
      // expires, and the wait below says so (manual) or waits for the new round (auto).
      host.tokenRejected(token.authToken);
    }
  }
}
