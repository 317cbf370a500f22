import { parseArgs } from 'node:util';
import { isTokenUsable } from '../../machines/sessionRules.js';
import type { CliIo } from './CliIo.js';
import { readSessionFile } from './sessionFile.js';
import { UsageError } from './UsageError.js';
import { USAGE } from './usage.js';

function duration(ms: number): string {
  const minutes = Math.round(Math.abs(ms) / 60_000);
  const text =
    minutes >= 60 ? `${Math.floor(minutes / 60)} h ${minutes % 60} min` : `${minutes} min`;
  return ms >= 0 ? `in ${text}` : `${text} ago`;
}

/** `gstr-session status`: a saved session's state, GSTIN and time left; secrets on request. */
export async function statusCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args: [...args],
    options: {
      session: { type: 'string' },
      'show-secrets': { type: 'boolean' },
      json: { type: 'boolean' },
      debug: { type: 'boolean' },
      help: { type: 'boolean' },
    },
    strict: true,
  });
  if (values.help) {
    io.stdout.write(`${USAGE.status}\n`);
    return 0;
  }
  if (!values.session) throw new UsageError('status needs --session FILE');
  const { session, baseUrl } = await readSessionFile(values.session);
  const now = io.now();
  const expiresAt = session.token?.expiresAt;
  // A file saved as authenticated says nothing of the time since: compare with the clock.
  const state =
    session.state === 'authenticated' && !isTokenUsable(session.token, now)
      ? 'expired'
      : session.state;
  const status: Record<string, unknown> = {
    gstin: session.gstin,
    username: session.username,
    ...(session.provider ? { provider: session.provider } : {}),
    state,
    ...(expiresAt === undefined
      ? {}
      : { expiresAt: new Date(expiresAt).toISOString(), timeLeftMs: Math.max(0, expiresAt - now) }),
    savedAt: new Date(session.savedAt).toISOString(),
    ...(baseUrl ? { baseUrl } : {}),
  };
  if (values['show-secrets']) {
    Object.assign(status, {
      authToken: session.token?.authToken,
      ...session.token?.secrets,
      accessToken: session.access?.accessToken,
    });
  }
  if (values.json) {
    io.stdout.write(`${JSON.stringify(status, null, 2)}\n`);
    return 0;
  }
  const lines = [
    `GSTIN      ${session.gstin}`,
    `username   ${session.username}`,
    `state      ${state}`,
    ...(expiresAt === undefined
      ? []
      : [`expires    ${new Date(expiresAt).toISOString()} (${duration(expiresAt - now)})`]),
    `saved      ${new Date(session.savedAt).toISOString()}`,
    ...(values['show-secrets']
      ? ['authToken', 'sek', 'appKey', 'accessToken'].map(
          (key) => `${key.padEnd(10)} ${String(status[key] ?? '-')}`,
        )
      : []),
  ];
  io.stdout.write(`${lines.join('\n')}\n`);
  return 0;
}
