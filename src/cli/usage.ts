import { PROVIDERS } from '../registry/providers.js';

/** The CLI's help texts. */
export const USAGE = {
  main: `gstr-session: get and keep a GSTR auth token from the command line.

Usage:
  gstr-session login  --gstin GSTIN --username USER [options]
  gstr-session status --session FILE [--show-secrets] [--json]
  gstr-session <command> --help
  gstr-session --version

The provider's credentials come from the environment, never from the command line:
${PROVIDERS.map(
  (p, i) =>
    `  ${`--provider ${p.name}${i === 0 ? ' (default)' : ''}`.padEnd(29)}${p.env.join(', ')}${p.optionalEnv.length ? ` (${p.optionalEnv.join(', ')} optional)` : ''}`,
).join('\n')}

Exit codes: 0 ok, 1 failure, 2 usage error.`,
  login: `gstr-session login: log in, ask for an OTP, and exchange it for an auth token.

Usage:
  gstr-session login --gstin GSTIN --username USER [options]

Options:
  --gstin GSTIN          the taxpayer's GSTIN (checked before anything is sent)
  --username USER        the taxpayer's GST portal username
  --provider NAME        the provider (default ${PROVIDERS[0].name}), and its default --base-url:
${PROVIDERS.map((p) => `                           ${p.name.padEnd(9)}${p.title}, ${p.defaultBaseUrl}`).join('\n')}
  --base-url URL         the provider's base URL
${PROVIDERS.flatMap((p) =>
  p.flags.map((f) => `  ${`--${f.name} ${f.value}`.padEnd(23)}${p.name}: ${f.help}`),
).join('\n')}
  --save FILE            save the session to FILE (mode 0600) instead of printing it; a
                         still-valid session already in FILE is reused, with no OTP
  --force                with --save: ask for a new OTP even if FILE holds a valid session
  --timeout SECONDS      give up on a request after this long, body included (default 15)
  --max-otp-attempts N   wrong OTPs allowed before giving up (default 3)
  --debug                print stack traces

At the prompt, type the 6-digit OTP the taxpayer received by SMS, or r to have it sent again.
Without --save the credentials are printed as JSON on standard output.`,
  status: `gstr-session status: show a saved session.

Usage:
  gstr-session status --session FILE [--show-secrets] [--json]

Options:
  --session FILE   a file written by 'gstr-session login --save FILE'
  --show-secrets   also print the auth token, the provider's secrets (sek, appKey...) and
                   the access token
  --json           print JSON instead of text
  --debug          print stack traces`,
} as const;
