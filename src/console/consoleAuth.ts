import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** The cookie that holds a signed-in page's session. */
export const CONSOLE_COOKIE = 'gstr_console';
/** How long a signed-in page stays signed in. */
const SESSION_MS = 12 * 3_600_000;

/** Compares two secrets in constant time (their digests, so lengths never leak). */
function sameSecret(a: string, b: string): boolean {
  const digest = (text: string) => createHash('sha256').update(text).digest();
  return timingSafeEqual(digest(a), digest(b));
}

const secret = () => randomBytes(24).toString('base64url');

/** Who a request is: a signed-in page (with its CSRF secret), a bearer of the token, or nobody. */
export type Caller =
  | { readonly kind: 'page'; readonly csrf: string }
  | { readonly kind: 'bearer' }
  | { readonly kind: 'nobody' };

/** How long a sign-in link works, once printed (it signs in once). */
const LINK_MS = 3_600_000;

/**
 * The console's gate: the Host check (the console answers its own names only, so a page
 * elsewhere cannot reach it through DNS rebinding), the app's secret token (as `Authorization:
 * Bearer`), one-time sign-in links (each signs one browser in, within an hour, with an
 * HttpOnly, SameSite=Strict cookie; a link printed to a log is spent or stale, and never
 * carries the app's token), and the CSRF secret every form of a signed-in page sends back.
 */
export function consoleAuth(options: {
  /** The app's token for scripts; none: only links sign in. */
  readonly token: string | undefined;
  readonly now: () => number;
}) {
  const { token } = options;
  /** Links not used yet, and until when each works. */
  const links = new Map<string, number>();
  const pages = new Map<string, { csrf: string; until: number }>();
  let hosts: ReadonlySet<string> = new Set();

  function cookieOf(req: IncomingMessage): string | undefined {
    for (const part of (req.headers.cookie ?? '').split(';')) {
      const [name, ...value] = part.trim().split('=');
      if (name === CONSOLE_COOKIE) return value.join('=');
    }
    return undefined;
  }

  return {
    /** The names this console answers to, once its port is known. */
    listenOn(names: readonly string[]): void {
      hosts = new Set(names);
    },
    /** Whether the request's Host is one of the console's own names. */
    isOwnHost(req: IncomingMessage): boolean {
      return hosts.has(req.headers.host ?? '');
    },
    /** A fresh one-time link secret. */
    newLinkSecret(): string {
      const link = secret();
      links.set(link, options.now() + LINK_MS);
      return link;
    },
    /** Signs a page in with a link's secret: the cookie to set, or none when it is not valid. */
    signIn(presented: string): string | undefined {
      let valid = false;
      for (const [link, until] of links) {
        if (until <= options.now()) links.delete(link);
        else if (sameSecret(link, presented)) {
          links.delete(link);
          valid = true;
        }
      }
      if (!valid) return undefined;
      // Signed-in pages whose time is up are forgotten as new ones come.
      for (const [page, { until }] of pages) if (until <= options.now()) pages.delete(page);
      const id = secret();
      pages.set(id, { csrf: secret(), until: options.now() + SESSION_MS });
      return `${CONSOLE_COOKIE}=${id}; HttpOnly; SameSite=Strict; Path=/; Max-Age=${SESSION_MS / 1000}`;
    },
    /** Who sent the request. */
    callerOf(req: IncomingMessage): Caller {
      const authorization = req.headers.authorization ?? '';
      if (token && authorization.startsWith('Bearer ') && sameSecret(token, authorization.slice(7)))
        return { kind: 'bearer' };
      const id = cookieOf(req);
      const page = id === undefined ? undefined : pages.get(id);
      if (!page || page.until <= options.now()) return { kind: 'nobody' };
      return { kind: 'page', csrf: page.csrf };
    },
    /**
     * Whether a state-changing request may act: a bearer may; a page must send its CSRF
     * secret in `x-csrf-token` and, where the browser says where it came from, come from here.
     */
    mayAct(req: IncomingMessage, caller: Caller): boolean {
      if (caller.kind === 'bearer') return true;
      if (caller.kind !== 'page') return false;
      const origin = req.headers.origin;
      if (origin !== undefined && !hosts.has(origin.replace(/^http:\/\//, ''))) return false;
      const sent = req.headers['x-csrf-token'];
      return typeof sent === 'string' && sameSecret(caller.csrf, sent);
    },
  };
}
