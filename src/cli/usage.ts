/** The CLI's help texts. */
export const USAGE = {
  main: `gstr-session: get and keep a GSTR auth token from the command line.

Usage:
  gstr-session login  --gstin GSTIN --username USER [options]
  gstr-session status --session FILE [--show-secrets] [--json]
  gstr-session <command> --help
  gstr-session --version

The provider's credentials come from the environment, never from the command line:
  --provider signzy (default)  GSTR_PROVIDER_USERNAME, GSTR_PROVIDER_PASSWORD
  --provider gstn              GSTN_CLIENT_ID, GSTN_CLIENT_SECRET (GSTN_IP_USER optional)
  --provider sandbox           SANDBOX_API_KEY, SANDBOX_API_SECRET

Exit codes: 0 ok, 1 failure, 2 usage error.`,
  login: `gstr-session login: log in, ask for an OTP, and exchange it for an auth token.

Usage:
  gstr-session login --gstin GSTIN --username USER [options]

Options:
  --gstin GSTIN          the taxpayer's GSTIN (checked before anything is sent)
  --username USER        the taxpayer's GST portal username
  --provider NAME        signzy (default), gstn (GSTN direct through a GSP) or sandbox
  --base-url URL         the provider's base URL (default: Signzy's test host, GSTN's
                         sandbox http://devapi.gstsystem.co.in, or api.sandbox.co.in)
  --certificate FILE     gstn: GSTN's public certificate (PEM file)
  --gstr-path PATH       signzy: the path of the GSTR tasks (default /api/v2/patrons/{patronId}/gstrs)
  --expiry-unit UNIT     signzy: how its expiry reads: minutes (default), seconds, epoch-ms
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
