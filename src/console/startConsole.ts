import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as v from 'valibot';
import { isGstrError } from '../errors/isGstrError.js';
import type { SessionManager, SessionQuery } from '../manager/types.js';
import { parseOptions } from '../schemas/parse.js';
import { errorSummaryOf } from '../telemetry/errorSummary.js';
import { consoleAuth } from './consoleAuth.js';
import { consoleFigures } from './consoleFigures.js';
import { CONSOLE_CSS, CONSOLE_PAGE, CONSOLE_SCRIPT } from './consolePage.js';

/** Options of {@link startConsole}. */
export interface ConsoleOptions {
  /** The manager whose sessions the console shows (on Redis: the whole fleet's store). */
  readonly manager: SessionManager;
  /** The port. Default 0: a free port. */
  readonly port?: number;
  /**
   * The address to listen on. Default `127.0.0.1`: the console can complete a login, so it is
   * this machine's unless the app puts it behind its own proxy and authentication.
   */
  readonly host?: string;
  /**
   * The app's secret for scripts (`Authorization: Bearer`); at least 24 characters. Browsers
   * sign in with one-time links instead (`newLink()`), which never carry it. None: only links
   * sign in.
   */
  readonly token?: string;
  /** An inspector's page to show a session's chart in (`startInspector().url`). */
  readonly inspectorUrl?: string;
  /**
   * More names (`name:port`) the console answers to in the Host header, e.g. behind the app's
   * own proxy. By default only `host:port` (and `localhost:port` on 127.0.0.1).
   */
  readonly hostNames?: readonly string[];
}

/** A running operator console. */
export interface OperatorConsole {
  /** The console's address, e.g. `http://127.0.0.1:7788/` (a request without the token is refused). */
  readonly url: string;
  /** A fresh link that signs one browser in, once, within an hour (print it, or send it). */
  newLink(): string;
  /** Stops the server. */
  close(): Promise<void>;
}

const OptionsSchema = v.object(
  {
    manager: v.custom<SessionManager>(
      (value) =>
        typeof value === 'object' &&
        value !== null &&
        typeof (value as SessionManager).sessions === 'function',
      'must be a session manager',
    ),
    port: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(65_535))),
    host: v.optional(v.pipe(v.string(), v.nonEmpty('must not be empty'))),
    token: v.optional(v.pipe(v.string(), v.minLength(24, 'must be at least 24 characters'))),
    inspectorUrl: v.optional(v.pipe(v.string(), v.url('must be a URL'))),
    hostNames: v.optional(v.array(v.pipe(v.string(), v.nonEmpty('must not be empty')))),
  },
  'must be an object',
);

/** What a POST of the page carries. */
const KeySchema = v.object({ gstin: v.string(), username: v.string() });
const OtpBodySchema = v.object({ ...KeySchema.entries, otp: v.string() });
/** The largest request body accepted (a key and an OTP). */
const MAX_BODY = 4_096;

/** Reads a small JSON body, or undefined when it is too big or not JSON. */
async function jsonBody(req: IncomingMessage): Promise<unknown> {
  let text = '';
  for await (const chunk of req) {
    text += String(chunk);
    if (text.length > MAX_BODY) return undefined;
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** The query of `GET /api/sessions` from its search parameters. */
function queryOf(params: URLSearchParams): SessionQuery {
  const state = params.get('state');
  const limit = Number(params.get('limit') ?? 50);
  return {
    ...(state ? { state: state as never } : {}),
    ...(params.get('needsPerson') ? { needsPerson: true } : {}),
    ...(params.get('search') ? { search: params.get('search') ?? '' } : {}),
    ...(params.get('cursor') ? { cursor: params.get('cursor') ?? '' } : {}),
    limit: Number.isInteger(limit) ? limit : 50,
  };
}

/**
 * Starts the operator console for one manager (on a shared store, the whole fleet through one
 * worker): every session with its state, token expiry, access end, next refresh and last
 * error, filtered and searched a page at a time (100 000 sessions page, they do not load at
 * once); the figures of the day at the top (SMS sent, OTP rounds open, refreshes, provider
 * errors by code, calls the limits held back); a session's flow and, with `inspectorUrl`, its
 * chart; and for a session waiting for an OTP, a field for the OTP a taxpayer reads out on the
 * phone, or a button that asks for a new one.
 *
 * Anything that can complete a login is guarded: it listens on 127.0.0.1 by default, answers
 * its own Host names only, and every request needs a secret: the app's token (scripts), or
 * the cookie of a browser signed in with a one-time link (HttpOnly, SameSite=Strict); every
 * form carries a CSRF secret, and no page or answer holds a token, a key or an OTP.
 *
 * @example
 * ```ts
 * const operator = await startConsole({ manager, token: process.env.CONSOLE_TOKEN });
 * console.log(`console: ${operator.newLink()}`);
 * ```
 */
export async function startConsole(options: ConsoleOptions): Promise<OperatorConsole> {
  parseOptions(OptionsSchema, options, 'startConsole');
  const { manager } = options;
  const host = options.host ?? '127.0.0.1';
  const auth = consoleAuth({ token: options.token, now: Date.now });
  const figures = consoleFigures(manager, Date.now);
  let base = '';

  const send = (res: ServerResponse, status: number, body: unknown): void => {
    res
      .writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' })
      .end(JSON.stringify(body));
  };
  /** A failure as the page shows it: class and code, never a message. */
  const failure = (res: ServerResponse, error: unknown) => {
    const status = isGstrError(error, 'InvalidInputError') ? 400 : 409;
    send(res, status, { error: errorSummaryOf(error) });
  };

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!auth.isOwnHost(req)) {
      res.writeHead(403).end();
      return;
    }
    const url = new URL(req.url ?? '/', base);
    const path = url.pathname;
    // A sign-in link: the secret is swapped for a cookie and leaves the address bar.
    const presented = url.searchParams.get('token');
    if (req.method === 'GET' && path === '/' && presented !== null) {
      const cookie = auth.signIn(presented);
      if (!cookie) {
        res
          .writeHead(401, { 'content-type': 'text/plain' })
          .end('This link is not valid (any more).');
        return;
      }
      res
        .writeHead(303, { location: '/', 'set-cookie': cookie, 'cache-control': 'no-store' })
        .end();
      return;
    }
    const caller = auth.callerOf(req);
    if (caller.kind === 'nobody') {
      res
        .writeHead(401, { 'content-type': 'text/plain', 'cache-control': 'no-store' })
        .end('Open the console with the link its app printed, or send its token.');
      return;
    }
    if (req.method === 'GET' && path === '/') {
      const csrf = caller.kind === 'page' ? caller.csrf : '';
      const page = CONSOLE_PAGE.replace('{{CSRF}}', csrf).replace(
        '{{INSPECTOR}}',
        (options.inspectorUrl ?? '').replace(/[<>"&]/g, ''),
      );
      const frames = options.inspectorUrl ? new URL(options.inspectorUrl).origin : "'none'";
      res
        .writeHead(200, {
          'content-type': 'text/html; charset=utf-8',
          'cache-control': 'no-store',
          'content-security-policy': `default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; frame-src ${frames}; form-action 'self'; frame-ancestors 'none'; base-uri 'none'`,
          'x-content-type-options': 'nosniff',
          'referrer-policy': 'no-referrer',
        })
        .end(page);
      return;
    }
    if (req.method === 'GET' && path === '/app.js') {
      res
        .writeHead(200, {
          'content-type': 'text/javascript; charset=utf-8',
          'x-content-type-options': 'nosniff',
        })
        .end(CONSOLE_SCRIPT);
      return;
    }
    if (req.method === 'GET' && path === '/app.css') {
      res.writeHead(200, { 'content-type': 'text/css; charset=utf-8' }).end(CONSOLE_CSS);
      return;
    }
    if (req.method === 'GET' && path === '/api/sessions') {
      try {
        send(res, 200, await manager.sessions(queryOf(url.searchParams)));
      } catch (error) {
        failure(res, error);
      }
      return;
    }
    if (req.method === 'GET' && path === '/api/figures') {
      send(res, 200, figures.read());
      return;
    }
    if (req.method === 'POST' && (path === '/api/otp' || path === '/api/request-otp')) {
      if (
        !auth.mayAct(req, caller) ||
        !String(req.headers['content-type']).startsWith('application/json')
      ) {
        send(res, 403, { error: { name: 'Forbidden', code: 'CSRF' } });
        return;
      }
      const body = await jsonBody(req);
      if (path === '/api/otp') {
        const parsed = v.safeParse(OtpBodySchema, body);
        if (!parsed.success) return send(res, 400, { error: { name: 'InvalidInputError' } });
        const { gstin, username, otp } = parsed.output;
        try {
          await manager.submitOtp(gstin, username, otp);
          send(res, 200, { state: manager.get(gstin, username).state });
        } catch (error) {
          failure(res, error);
        }
        return;
      }
      const parsed = v.safeParse(KeySchema, body);
      if (!parsed.success) return send(res, 400, { error: { name: 'InvalidInputError' } });
      try {
        const [outcome] = await manager.requestOtps([parsed.output]);
        send(res, 200, {
          outcome: outcome?.outcome,
          otpExpiresAt: outcome?.otpExpiresAt,
          ...(outcome?.error ? { error: errorSummaryOf(outcome.error) } : {}),
        });
      } catch (error) {
        failure(res, error);
      }
      return;
    }
    res.writeHead(404).end();
  }

  const server = createServer((req, res) => {
    route(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500).end();
      else res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const names = [`${host}:${port}`, ...(options.hostNames ?? [])];
  if (host === '127.0.0.1') names.push(`localhost:${port}`);
  auth.listenOn(names);
  base = `http://${host}:${port}/`;

  return {
    url: base,
    newLink: () => `${base}?token=${encodeURIComponent(auth.newLinkSecret())}`,
    close: () =>
      new Promise<void>((resolve) => {
        figures.stop();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
