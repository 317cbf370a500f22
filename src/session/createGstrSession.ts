import * as v from 'valibot';
import { createActor } from 'xstate';
import { gstrSessionMachine } from '../../machines/gstrSession.machine.js';
import type { GstrSessionInput, SessionState } from '../../machines/gstrSession.types.js';
import { initialContext } from '../../machines/initialContext.js';
import { isAutoReauthDue, isTokenUsable, sessionConfigFor } from '../../machines/sessionRules.js';
import { OtpExpiredError } from '../errors/OtpExpiredError.js';
import { ReauthenticationRequiredError } from '../errors/ReauthenticationRequiredError.js';
import { SessionStateError } from '../errors/SessionStateError.js';
import { GstrProviderSchema } from '../providers/contractSchemas.js';
import type { ReadOutcome } from '../reads/GstrRead.js';
import { SessionReadSchema } from '../reads/readSchema.js';
import { GstinSchema } from '../schemas/gstin.js';
import { CallOptionsSchema, WaitOptionsSchema } from '../schemas/options.js';
import { parseInput, parseOptions } from '../schemas/parse.js';
import { OtpSchema, UsernameSchema } from '../schemas/requests.js';

import { redactDeep } from '../secrets/redactDeep.js';
import { traceState } from '../telemetry/traceChannels.js';
import { systemClock, systemWaitClock } from '../time/systemClock.js';
import { auditPersonActions, auditTrail } from './auditTrail.js';
import { callHandler } from './callHandler.js';
import { callRead, type ReadHost } from './callRead.js';
import { createRedactingInspector } from './createRedactingInspector.js';
import { usableCredentials } from './credentialsOf.js';
import { loggerOf } from './loggerOf.js';
import { onceOf } from './onceOf.js';
import {
  type GstrSessionSnapshot,
  parsePersisted,
  persistSnapshot,
  restoredContext,
} from './persistence.js';
import { ClockSchema, InspectorSchema, LoggerSchema } from './runtimeOptions.js';
import { settle, type Verdict } from './settle.js';
import type { GstrSession, GstrSessionOptions, SessionCredentials, WaitOptions } from './types.js';

/** The options of a session other than the taxpayer and the config numbers. */
const SessionOptionsSchema = v.object(
  {
    provider: GstrProviderSchema,
    clock: v.optional(ClockSchema),
    inspect: v.optional(InspectorSchema),
    logger: v.optional(LoggerSchema),
    validateOnRestore: v.optional(v.boolean('must be true or false')),
    onAudit: v.optional(v.function('must be a function')),
  },
  'must be an object',
);

function stateOf(snapshot: GstrSessionSnapshot): SessionState {
  return snapshot.value as SessionState;
}

/**
 * Creates a GSTR session for one taxpayer: validates the input (before any request), restores
 * a saved snapshot if given, and returns the facade. Nothing is sent until `start()`.
 *
 * @example
 * ```ts
 * const session = createGstrSession({ provider: signzyProvider({ baseUrl, username, password }), gstin, username });
 * session.on('otp.required', ({ reason }) => askThePersonForTheOtp(reason));
 * session.start();
 * await session.submitOtp('575757');
 * const { authToken, sek, appKey, expiresAt } = await session.credentials();
 * ```
 */
export function createGstrSession(options: GstrSessionOptions): GstrSession {
  parseOptions(SessionOptionsSchema, options, 'createGstrSession');
  const gstin = parseInput(GstinSchema, options.gstin, 'session', 'gstin');
  const username = parseInput(UsernameSchema, options.username, 'session', 'username');
  const config = sessionConfigFor(options, 'createGstrSession', options.provider);
  const clock = options.clock ?? systemClock;
  const waitClock = options.clock ?? systemWaitClock;
  const logger = loggerOf(options.logger);
  const trail = auditTrail(options.onAudit, { gstin, username }, () => clock.now(), logger);
  // Every provider call of this session (the machine's steps and reads) passes the audit.
  const provider = trail ? trail.provider(options.provider) : options.provider;
  const input: GstrSessionInput = {
    ...config,
    provider,
    gstin,
    username,
    now: () => clock.now(),
  };

  const restored =
    options.snapshot === undefined
      ? undefined
      : parsePersisted(options.snapshot, { gstin, username, provider: options.provider });
  const snapshot = restored
    ? gstrSessionMachine.resolveState({
        value: restored.state,
        context: restoredContext(restored, initialContext(input)),
      })
    : undefined;

  const actor = createActor(gstrSessionMachine, {
    input,
    clock,
    ...(snapshot ? { snapshot } : {}),
    ...(options.inspect ? { inspect: createRedactingInspector(options.inspect) } : {}),
  });

  // Observe failures and transitions once, so that no actor error goes unhandled and the
  // logger sees every state change (never a secret: errors are redacted copies).
  let lastState = stateOf(actor.getSnapshot());
  let lastError = actor.getSnapshot().context.error;
  actor.subscribe({
    next: (next) => {
      const state = stateOf(next);
      if (state !== lastState) {
        logger?.info?.(`gstr-session ${lastState} -> ${state}`, {
          gstin,
          from: lastState,
          to: state,
        });
        traceState(lastState, state);
      }
      if (next.context.error && next.context.error !== lastError) {
        logger?.warn?.(`gstr-session error: ${next.context.error.message}`, {
          gstin,
          error: redactDeep(next.context.error),
        });
      }
      lastState = state;
      lastError = next.context.error;
    },
    error: (error) =>
      logger?.error?.('gstr-session stopped on an internal error', {
        gstin,
        error: redactDeep(error),
      }),
  });

  let started = false;
  let stopped = false;

  function ensureRunning(operation: string): void {
    if (stopped) throw new SessionStateError(operation, lastState, 'the session was stopped');
    if (started) return;
    started = true;
    actor.start();
    // XState does not re-arm `after` timers of a restored snapshot: a tick re-arms them from
    // the saved deadlines, or moves a session past its deadline on at once.
    if (restored) actor.send({ type: 'clock.tick' });
  }

  function wait<T>(
    operation: string,
    decide: (s: GstrSessionSnapshot) => Verdict<T>,
    opts: WaitOptions = {},
  ): Promise<T> {
    // `opts` were checked where the call began, before anything was sent.
    return settle(actor, decide, {
      operation,
      clock: waitClock,
      signal: opts.signal,
      timeoutMs: opts.timeoutMs,
    });
  }

  function errorOr(snapshot: GstrSessionSnapshot, operation: string, detail: string): unknown {
    return snapshot.context.error ?? new SessionStateError(operation, stateOf(snapshot), detail);
  }

  /**
   * The credentials by the rules of `credentials()`. `afterRefusal`: a read's token was just
   * refused, so a refresh under way is waited for (its old token is the refused one).
   */
  async function credentialsWhen(
    opts: WaitOptions | undefined,
    afterRefusal: boolean,
    operation: 'credentials' | 'call' = 'credentials',
  ): Promise<SessionCredentials> {
    // Errors name the operation the app called (a read's wait is `call`'s, not `credentials`').
    ensureRunning(operation);
    parseOptions(WaitOptionsSchema, opts, operation);
    const current = actor.getSnapshot();
    // After sleep the timer may not have fired yet: never hand out a token past its expiry.
    if (
      stateOf(current) === 'authenticated' &&
      !isTokenUsable(current.context.token, clock.now())
    ) {
      actor.send({ type: 'clock.tick' });
    }
    // The hot path: a token at hand is handed out without setting up a wait.
    const snapshotNow = actor.getSnapshot();
    const state = stateOf(snapshotNow);
    if (state === 'authenticated' || (state === 'refreshing' && !afterRefusal)) {
      const ready = usableCredentials(
        snapshotNow.context,
        snapshotNow.context.deps.provider,
        clock.now(),
      );
      if (ready) return ready;
    }
    return wait<SessionCredentials>(
      operation,
      (s) => {
        switch (stateOf(s)) {
          // While a refresh runs, the current token is still good until it expires (unless it
          // is the one a read just had refused).
          case 'refreshing':
          case 'authenticated': {
            if (afterRefusal && stateOf(s) === 'refreshing') return undefined;
            const credentials = usableCredentials(s.context, s.context.deps.provider, clock.now());
            return credentials ? { value: credentials } : undefined;
          }
          case 'failed':
            return { error: errorOr(s, operation, 'the session failed') };
          case 'loggedOut':
            return {
              error: new SessionStateError(
                operation,
                'loggedOut',
                'the session is logged out; call start()',
              ),
            };
          case 'expired':
            return isAutoReauthDue('expired', s.context.config)
              ? undefined
              : {
                  error: new ReauthenticationRequiredError(
                    gstin,
                    afterRefusal ? 'refused' : 'expired',
                  ),
                };
          case 'otpExpired':
            return { error: new OtpExpiredError() };
          default:
            return undefined;
        }
      },
      opts,
    );
  }

  // A probe is due once, before the first read of a session restored as authenticated.
  let probeDue = options.validateOnRestore === true && restored?.state === 'authenticated';
  const readHost: ReadHost = {
    gstin,
    username,
    provider,
    now: () => clock.now(),
    accessTokenSkewMs: config.accessTokenSkewMs,
    credentials: (opts, afterRefusal) => credentialsWhen(opts, afterRefusal, 'call'),
    held: () => {
      const { token, access } = actor.getSnapshot().context;
      return { token, access };
    },
    // The machine decides whether the refusal is news (isHeldTokenRefused): one home.
    tokenRejected: (authToken) => {
      // A read that ends after the session was stopped has no one left to tell.
      if (!stopped) actor.send({ type: 'token.rejected', authToken });
    },
    takeProbe: () => {
      const due = probeDue;
      probeDue = false;
      return due;
    },
  };

  const session: GstrSession = {
    gstin,
    username,
    actor,
    get state() {
      return stateOf(actor.getSnapshot());
    },
    get snapshot() {
      return actor.getSnapshot();
    },

    start() {
      // The first start of a restored session only resumes it where it was: a restart must
      // never log in or send an SMS by itself. Later starts begin a logged-out session.
      const resuming = restored !== undefined && !started;
      ensureRunning('start');
      if (resuming) return;
      const state = stateOf(actor.getSnapshot());
      if (state === 'loggedOut' || state === 'failed') actor.send({ type: 'session.start' });
    },

    async submitOtp(otp, opts) {
      ensureRunning('submitOtp');
      // Checked first: a bad option must never be found after the OTP was sent.
      parseOptions(WaitOptionsSchema, opts, 'submitOtp');
      // Given up before it started: nothing is sent.
      if (opts?.signal?.aborted) throw opts.signal.reason;
      const clean = parseInput(OtpSchema, otp, 'getAuthToken', 'otp');
      // A person may type the OTP before the provider has answered the OTP request: wait for it.
      const arriving = (state: SessionState) => state === 'loggingIn' || state === 'requestingOtp';
      if (arriving(stateOf(actor.getSnapshot()))) {
        await wait(
          'submitOtp',
          (s) => {
            const state = stateOf(s);
            if (arriving(state)) return undefined;
            return state === 'otpRequested'
              ? { value: undefined }
              : { error: errorOr(s, 'submitOtp', 'no OTP was requested') };
          },
          opts,
        );
      }
      const before = stateOf(actor.getSnapshot());
      if (before === 'otpExpired') throw new OtpExpiredError();
      if (before !== 'otpRequested') {
        throw new SessionStateError(
          'submitOtp',
          before,
          before === 'verifyingOtp' ? 'an OTP is already being verified' : 'no OTP is pending',
        );
      }
      actor.send({ type: 'otp.submit', otp: clean });
      return wait<SessionCredentials>(
        'submitOtp',
        (s) => {
          const state = stateOf(s);
          if (state === 'verifyingOtp') return undefined;
          // Never resolve with a token past its expiry, even one that ran out while waiting.
          const credentials =
            state === 'authenticated'
              ? usableCredentials(s.context, s.context.deps.provider, clock.now())
              : undefined;
          if (credentials) return { value: credentials };
          if (state === 'authenticated') return undefined;
          return { error: errorOr(s, 'submitOtp', 'the OTP was not accepted') };
        },
        opts,
      );
    },

    async resendOtp(opts) {
      ensureRunning('resendOtp');
      parseOptions(WaitOptionsSchema, opts, 'resendOtp');
      const before = actor.getSnapshot();
      const state = stateOf(before);
      if (state !== 'otpRequested' && state !== 'otpExpired') {
        throw new SessionStateError('resendOtp', state, 'no OTP round is open');
      }
      actor.send({ type: 'otp.resend' });
      if (stateOf(actor.getSnapshot()) !== 'requestingOtp')
        throw errorOr(actor.getSnapshot(), 'resendOtp', 'refused');
      return wait(
        'resendOtp',
        (s) => {
          const now = stateOf(s);
          if (now === 'requestingOtp') return undefined;
          if (now === 'otpRequested' && s.context.otpRequestedAt !== before.context.otpRequestedAt)
            return { value: undefined };
          return { error: errorOr(s, 'resendOtp', 'the OTP request failed') };
        },
        opts,
      );
    },

    reauthenticate() {
      ensureRunning('reauthenticate');
      actor.send({ type: 'session.reauthenticate' });
    },

    reportTokenRejected(authToken) {
      ensureRunning('reportTokenRejected');
      actor.send({ type: 'token.rejected', authToken });
    },

    checkClock() {
      ensureRunning('checkClock');
      actor.send({ type: 'clock.tick' });
    },

    async logout(opts) {
      ensureRunning('logout');
      parseOptions(WaitOptionsSchema, opts, 'logout');
      actor.send({ type: 'session.logout' });
      return wait(
        'logout',
        (s) => (stateOf(s) === 'loggedOut' ? { value: undefined } : undefined),
        opts,
      );
    },

    async credentials(opts) {
      return credentialsWhen(opts, false);
    },

    async call(request, opts) {
      ensureRunning('call');
      parseOptions(CallOptionsSchema, opts, 'call');
      const read = parseInput(SessionReadSchema, request, 'call', 'request');
      return callRead(readHost, read, opts) as Promise<ReadOutcome<never>>;
    },

    on(type, handler) {
      const subscription = actor.on(type, (event) => {
        // Delivered after the transition is committed, so a handler can act on the new state
        // (e.g. submit an OTP right away); a handler that throws or rejects is logged, never propagated.
        queueMicrotask(() =>
          callHandler(handler as (e: unknown) => unknown, event, (error) =>
            logger?.error?.(`gstr-session ${type} handler threw`, {
              gstin,
              error: redactDeep(error),
            }),
          ),
        );
      });
      return () => subscription.unsubscribe();
    },

    once(type, opts) {
      return onceOf(session, type, waitClock, opts);
    },

    subscribe(listener) {
      const subscription = actor.subscribe({ next: listener, error: () => {} });
      return () => subscription.unsubscribe();
    },

    persist() {
      return persistSnapshot(actor.getSnapshot(), clock.now());
    },

    stop() {
      stopped = true;
      actor.stop();
    },

    async [Symbol.asyncDispose]() {
      session.stop();
    },
  };
  if (trail) auditPersonActions(trail, session);
  return session;
}
