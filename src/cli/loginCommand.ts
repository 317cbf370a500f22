import { parseArgs } from 'node:util';
import { waitFor } from 'xstate';
import { attemptsLeft } from '../../machines/sessionRules.js';
import { isGstrError } from '../errors/GstrError.js';
import type { ExpiryUnit } from '../providers/signzy/expiry.js';
import { signzyProvider } from '../providers/signzy/SignzyClient.js';
import { createGstrSession } from '../session/createGstrSession.js';
import type { CliIo } from './CliIo.js';
import { createLineReader } from './lineReader.js';
import { writeSessionFile } from './sessionFile.js';
import { UsageError } from './UsageError.js';
import { USAGE } from './usage.js';

const EXPIRY_UNITS: readonly ExpiryUnit[] = ['minutes', 'seconds', 'epoch-ms'];

/** `gstr-session login`: login, OTP prompt (with retries and resend), credentials out. */
export async function loginCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args: [...args],
    options: {
      gstin: { type: 'string' },
      username: { type: 'string' },
      'base-url': { type: 'string' },
      'gstr-path': { type: 'string' },
      'expiry-unit': { type: 'string' },
      save: { type: 'string' },
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
  const apiUser = io.env.GSTR_PROVIDER_USERNAME;
  const apiKey = io.env.GSTR_PROVIDER_PASSWORD;
  if (!apiUser || !apiKey) {
    throw new UsageError(
      'set GSTR_PROVIDER_USERNAME and GSTR_PROVIDER_PASSWORD (the provider API credentials)',
    );
  }
  const expiryUnit = values['expiry-unit'] ?? 'minutes';
  if (!EXPIRY_UNITS.includes(expiryUnit as ExpiryUnit))
    throw new UsageError(`--expiry-unit must be one of ${EXPIRY_UNITS.join(', ')}`);
  const maxOtpAttempts =
    values['max-otp-attempts'] === undefined ? undefined : Number(values['max-otp-attempts']);

  const provider = signzyProvider({
    username: apiUser,
    password: apiKey,
    expiryUnit: expiryUnit as ExpiryUnit,
    ...(values['base-url'] ? { baseUrl: values['base-url'] } : {}),
    ...(values['gstr-path'] ? { gstrPath: values['gstr-path'] } : {}),
  });
  const session = createGstrSession({
    provider,
    gstin: values.gstin,
    username: values.username,
    ...(maxOtpAttempts === undefined ? {} : { maxOtpAttempts }),
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
          (error: unknown) => io.stderr.write(`${(error as Error).message}\n`),
        );
        continue;
      }
      try {
        const credentials = await session.submitOtp(answer);
        if (values.save) {
          await writeSessionFile(values.save, session.persist(), values['base-url']);
          io.stderr.write(
            `Authenticated until ${new Date(credentials.expiresAt).toISOString()}; saved to ${values.save}.\n`,
          );
        } else {
          io.stdout.write(
            `${JSON.stringify({ ...credentials, expiresAtIso: new Date(credentials.expiresAt).toISOString() }, null, 2)}\n`,
          );
        }
        return 0;
      } catch (error) {
        if (isGstrError(error, 'OtpAttemptsExceededError')) throw error;
        if (isGstrError(error, 'OtpRejectedError')) io.stderr.write('That OTP was refused.\n');
        else if (isGstrError(error, 'InvalidInputError')) io.stderr.write('An OTP is 6 digits.\n');
        else io.stderr.write(`${(error as Error).message}\n`);
      }
    }
  } finally {
    reader.close();
    session.stop();
  }
}
