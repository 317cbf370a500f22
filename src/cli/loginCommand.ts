import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { waitFor } from 'xstate';
import { attemptsLeft } from '../../machines/sessionRules.js';
import { explainError } from '../errors/explainError.js';
import { isGstrError } from '../errors/isGstrError.js';
import { DEFAULT_STEP_TIMEOUT_MS } from '../http/defaults.js';
import type { GstrProvider } from '../providers/GstrProvider.js';
import { createGstrSession } from '../session/createGstrSession.js';
import { usableCredentials } from '../session/credentialsOf.js';
import type { GstrSession, SessionCredentials } from '../session/types.js';
import type { CliIo } from './CliIo.js';
import { cliProvider, PROVIDER_FLAG_OPTIONS } from './cliProvider.js';
import { withFlagNames } from './flagErrors.js';
import { createLineReader } from './lineReader.js';
import { readSessionFile, writeSessionFile } from './sessionFile.js';
import { UsageError } from './UsageError.js';
import { USAGE } from './usage.js';

/** What the person is told while each request is under way. */
const PROGRESS: Readonly<Record<string, (host: string) => string>> = {
  loggingIn: (host) => `Logging in to ${host}...`,
  requestingOtp: (host) => `Asking ${host} to send an OTP to the taxpayer's mobile...`,
  verifyingOtp: (host) => `Checking the OTP with ${host}...`,
};

/** A failure the person can act on: one line, exit code 1. */
class CliFailure extends Error {}

/** Fails before any request when `--save` could not be written: no OTP is spent for nothing. */
async function checkSaveTarget(path: string): Promise<void> {
  try {
    await access(dirname(resolve(path)), constants.W_OK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    const why = code === 'ENOENT' ? 'the folder does not exist' : 'the folder is not writable';
    throw new CliFailure(`cannot save to ${path}: ${why} (${code})`);
  }
}

/** The saved session at `path`, if it is this taxpayer's and still usable for a while. */
async function reusable(
  path: string,
  session: GstrSession,
  provider: GstrProvider,
  now: number,
): Promise<SessionCredentials | undefined> {
  const { gstin, username } = session;
  try {
    const saved = (await readSessionFile(path)).session;
    if (saved.gstin !== gstin || saved.username !== username) return undefined;
    if (saved.state !== 'authenticated') return undefined;
    if (saved.provider !== undefined && saved.provider !== provider.name) return undefined;
    // A minute of margin, so that the reused token does not die in the caller's hands.
    return usableCredentials(saved, provider, now + 60_000);
  } catch {
    return undefined;
  }
}

/** Prints or saves the credentials. Nothing after this asks for an OTP again. */
async function deliver(
  credentials: SessionCredentials,
  session: GstrSession,
  io: CliIo,
  save: string | undefined,
  baseUrl: string | undefined,
): Promise<number> {
  const until = new Date(credentials.expiresAt).toISOString();
  if (!save) {
    io.stdout.write(`${JSON.stringify({ ...credentials, expiresAtIso: until }, null, 2)}\n`);
    return 0;
  }
  try {
    await writeSessionFile(save, session.persist(), baseUrl);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    throw new CliFailure(`authenticated, but cannot save to ${save} (${code})`);
  }
  io.stderr.write(`Authenticated until ${until}; saved to ${save}.\n`);
  return 0;
}

/** `gstr-session login`: login, OTP prompt (with retries and resend), credentials out. */
export async function loginCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args: [...args],
    options: {
      gstin: { type: 'string' },
      username: { type: 'string' },
      provider: { type: 'string' },
      'base-url': { type: 'string' },
      ...PROVIDER_FLAG_OPTIONS,
      save: { type: 'string' },
      force: { type: 'boolean' },
      timeout: { type: 'string' },
      'max-otp-attempts': { type: 'string' },
      debug: { type: 'boolean' },
      help: { type: 'boolean' },
    },
    strict: true,
  });
  if (values.help) {
    io.stdout.write(`${USAGE.login}\n`);
    return 0;
  }
  if (!values.gstin || !values.username) throw new UsageError('login needs --gstin and --username');
  const number = (flag: string, value: string | undefined): number | undefined => {
    if (value === undefined) return undefined;
    if (!/^[0-9]+$/.test(value)) throw new UsageError(`${flag} must be a whole number`);
    return Number(value);
  };
  const maxOtpAttempts = number('--max-otp-attempts', values['max-otp-attempts']);
  const timeoutSeconds = number('--timeout', values.timeout);
  const { provider, host, baseUrl } = await cliProvider(
    values,
    io.env,
    timeoutSeconds === undefined ? undefined : timeoutSeconds * 1000,
  );

  const session = withFlagNames(() =>
    createGstrSession({
      provider,
      gstin: values.gstin ?? '',
      username: values.username ?? '',
      ...(maxOtpAttempts === undefined ? {} : { maxOtpAttempts }),
    }),
  );

  const save = values.save;
  if (save) {
    const saved = values.force ? undefined : await reusable(save, session, provider, io.now());
    if (saved) {
      io.stderr.write(
        `${save} holds a session valid until ${new Date(saved.expiresAt).toISOString()}: reused, no OTP sent (--force for a new one).\n`,
      );
      session.stop();
      return 0;
    }
    await checkSaveTarget(save);
  }

  const timeoutMs = timeoutSeconds === undefined ? DEFAULT_STEP_TIMEOUT_MS : timeoutSeconds * 1000;
  io.stderr.write(`(each request to ${host} gives up after ${Math.round(timeoutMs / 1000)} s)\n`);
  let last = '';
  session.subscribe((snapshot) => {
    const state = String(snapshot.value);
    // A provider without a login (GSTN direct) passes loggingIn without a request.
    const progress =
      state === 'loggingIn' && !provider.capabilities.login ? undefined : PROGRESS[state];
    if (state !== last) io.stderr.write(progress ? `${progress(host)}\n` : '');
    last = state;
  });

  const reader = createLineReader(io.stdin, io.stderr);
  try {
    session.start();
    for (;;) {
      const snapshot = await waitFor(session.actor, (s) =>
        ['otpRequested', 'otpExpired', 'failed'].includes(String(s.value)),
      );
      if (snapshot.value === 'failed') throw snapshot.context.error ?? new Error('login failed');
      const left = attemptsLeft(snapshot.context, snapshot.context.config);
      const question =
        snapshot.value === 'otpExpired'
          ? 'The OTP has expired. Type r to have a new one sent: '
          : `Enter the OTP sent to the taxpayer's mobile for ${session.gstin} (${left} attempt${left === 1 ? '' : 's'} left; r to resend): `;
      const answer = (await reader.ask(question))?.trim();
      if (answer === undefined) {
        io.stderr.write('\n');
        throw new Error('no OTP given: standard input was closed');
      }
      if (answer.toLowerCase() === 'r') {
        await session.resendOtp().then(
          () => io.stderr.write('A new OTP was sent.\n'),
          (error: unknown) => io.stderr.write(`${explainError(error)}\n`),
        );
        continue;
      }
      let credentials: SessionCredentials;
      try {
        credentials = await session.submitOtp(answer);
      } catch (error) {
        if (isGstrError(error, 'OtpAttemptsExceededError')) throw error;
        if (isGstrError(error, 'InvalidInputError')) io.stderr.write('An OTP is 6 digits.\n');
        else io.stderr.write(`${explainError(error)}\n`);
        continue;
      }
      // Authenticated: whatever happens now, the OTP prompt never comes back.
      return await deliver(credentials, session, io, save, baseUrl);
    }
  } finally {
    reader.close();
    session.stop();
  }
}
