import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AnyStateMachine, InspectionEvent } from 'xstate';
import { gstrSessionMachine } from '../../machines/gstrSession.machine.js';
import { layoutChart } from './chartLayout.js';
import { DEFAULT_CHART_LAYOUT } from './defaultChartLayout.js';
import { inspectorGraph } from './inspectorGraph.js';
import { INSPECTOR_FAVICON, INSPECTOR_PAGE } from './inspectorPage.js';

/** Options of {@link startInspector}. */
export interface InspectorOptions {
  /** The port on 127.0.0.1. Default 0: a free port. */
  readonly port?: number;
  /** The machine to draw. Default the GSTR session machine. */
  readonly machine?: AnyStateMachine;
  /** How many log lines a newly opened page receives. Default 200. */
  readonly history?: number;
}

/** A running local inspector. */
export interface InspectorServer {
  /** The page, e.g. `http://127.0.0.1:7777/`. */
  readonly url: string;
  /** Pass as `createGstrSession({ inspect })` (one inspector can watch many sessions). */
  readonly inspect: (event: InspectionEvent) => void;
  /** Stops the server and closes open pages' streams. */
  close(): Promise<void>;
}

/** What the page shows of a session: chosen fields only, never a secret or a message. */
interface SessionView {
  readonly type: 'session';
  readonly sessionId: string;
  readonly gstin: string;
  readonly username: string;
  readonly state: string;
  readonly time: number;
  readonly otpExpiresAt: number | undefined;
  readonly tokenExpiresAt: number | undefined;
  readonly attemptsLeft: number | undefined;
  readonly resendsLeft: number | undefined;
  /** The last error's class, code and step (no message: it is the app's to show). */
  readonly lastError: { name: string; code: string | undefined; step: string } | undefined;
}

/** Kinds of log line, so that the page can filter them (timers are hidden by default). */
type LogKind = 'state' | 'event' | 'timer' | 'request';

/** What the page receives: a session's view, or a log line. Built from chosen fields only. */
type Message =
  | SessionView
  | {
      type: 'log';
      sessionId: string;
      gstin: string;
      kind: LogKind;
      text: string;
      time: number;
    };

/** The provider step each transient state runs: the page's sequence of requests. */
const STEP_OF_STATE: Readonly<Record<string, string>> = {
  loggingIn: 'login',
  authenticating: 'authenticate',
  requestingOtp: 'requestOtp',
  verifyingOtp: 'getAuthToken',
  refreshing: 'refreshToken',
  loggingOut: 'logout',
};

/** The log line of an event the session received, or `undefined` for a request's own answer. */
function describeEvent(type: string): { kind: LogKind; text: string } | undefined {
  if (type.startsWith('xstate.after.')) return { kind: 'timer', text: 'timer fired' };
  // A request's answer shows in the request sequence (with its duration), not twice.
  if (type.startsWith('xstate.done.actor.') || type.startsWith('xstate.error.actor.'))
    return undefined;
  if (type === 'clock.tick') return { kind: 'timer', text: 'clock checked' };
  return { kind: 'event', text: `event ${type}` };
}

/** How a request ended, from the event that left its state. */
function outcomeOf(eventType: string): string {
  if (eventType.startsWith('xstate.done.actor.')) return 'done';
  if (eventType.startsWith('xstate.error.actor.')) return 'failed';
  return `aborted (${eventType})`;
}

function numberOr(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/** The view of a session from a (redacted) snapshot, or `undefined` when it is no session. */
function viewOf(sessionId: string, snapshot: unknown, time: number): SessionView | undefined {
  const s = snapshot as { value?: unknown; context?: Record<string, unknown> } | undefined;
  const c = s?.context;
  if (!c || typeof s?.value !== 'string' || typeof c.gstin !== 'string') return undefined;
  const config = (c.config ?? {}) as Record<string, unknown>;
  const token = (c.token ?? {}) as Record<string, unknown>;
  const error = c.error as Record<string, unknown> | undefined;
  const attempts = numberOr(c.otpAttempts);
  const resends = numberOr(c.otpResends);
  const maxAttempts = numberOr(config.maxOtpAttempts);
  const maxResends = numberOr(config.maxOtpResends);
  return {
    type: 'session',
    sessionId,
    gstin: c.gstin,
    username: typeof c.username === 'string' ? c.username : '',
    state: s.value,
    time,
    otpExpiresAt: numberOr(c.otpExpiresAt),
    tokenExpiresAt: numberOr(token.expiresAt),
    attemptsLeft:
      attempts === undefined || maxAttempts === undefined ? undefined : maxAttempts - attempts,
    resendsLeft:
      resends === undefined || maxResends === undefined ? undefined : maxResends - resends,
    lastError:
      error && typeof error.name === 'string'
        ? {
            name: error.name,
            code:
              typeof error.providerCode === 'string'
                ? error.providerCode
                : typeof error.code === 'string'
                  ? error.code
                  : undefined,
            step: typeof error.step === 'string' ? error.step : '',
          }
        : undefined,
  };
}

/**
 * Starts a local, offline inspector on 127.0.0.1: a page that draws the session state chart
 * (laid out with dagre, events on the arrows), highlights each session's current state live
 * (Server-Sent Events), counts down its OTP and token, shows its attempts and resends left,
 * its last error's class and code, the sequence of its requests, and a log filtered by session
 * and kind. Only chosen fields leave the process (event types, state names, GSTINs, portal
 * usernames, times, counts, error classes and codes): no payload, so no secret.
 *
 * @example
 * ```ts
 * const inspector = await startInspector({ port: 7777 });
 * const session = createGstrSession({ provider, gstin, username, inspect: inspector.inspect });
 * console.log(`open ${inspector.url}`);
 * ```
 */
export async function startInspector(options: InspectorOptions = {}): Promise<InspectorServer> {
  // The session machine's layout was computed when the package was built; another is laid
  // out now (with the optional @dagrejs/dagre).
  const graph = JSON.stringify(
    options.machine === undefined || options.machine === gstrSessionMachine
      ? DEFAULT_CHART_LAYOUT
      : await layoutChart(inspectorGraph(options.machine)),
  );
  const history = options.history ?? 200;
  const sessions = new Map<string, SessionView>();
  const log: Message[] = [];
  const clients = new Set<ServerResponse>();
  let port = 0;

  function broadcast(message: Message): void {
    if (message.type === 'log') {
      log.push(message);
      if (log.length > history) log.shift();
    }
    const frame = `data: ${JSON.stringify(message)}\n\n`;
    for (const client of clients) client.write(frame);
  }

  /** What the page was last told of each session, to send only changes. */
  const shownViews = new Map<string, string>();
  /** The time each session's running request started, to say how long it took. */
  const requestStarted = new Map<string, number>();

  function addLine(view: SessionView, kind: LogKind, text: string, time: number): void {
    broadcast({ type: 'log', sessionId: view.sessionId, gstin: view.gstin, kind, text, time });
  }

  /** Takes a session's new snapshot in: its view, and the state change with its request. */
  function observe(sessionId: string, snapshot: unknown, eventType: string, time: number): void {
    const view = viewOf(sessionId, snapshot, time);
    if (!view) return;
    // The page hears of a session only when something it shows changed (time aside).
    const key = JSON.stringify({ ...view, time: 0 });
    if (shownViews.get(sessionId) === key) return;
    shownViews.set(sessionId, key);
    const previous = sessions.get(sessionId);
    sessions.set(sessionId, view);
    broadcast(view);
    if (previous?.state === view.state) return;
    const from = previous?.state;
    const ended = from === undefined ? undefined : STEP_OF_STATE[from];
    if (ended) {
      const took = time - (requestStarted.get(sessionId) ?? time);
      addLine(view, 'request', `← ${ended} ${outcomeOf(eventType)} (${took} ms)`, time);
    }
    addLine(view, 'state', `${from ?? 'start'} → ${view.state}`, time);
    const started = STEP_OF_STATE[view.state];
    if (started) {
      requestStarted.set(sessionId, time);
      addLine(view, 'request', `→ ${started}`, time);
    }
  }

  const inspect = (event: InspectionEvent): void => {
    const sessionId = event.actorRef.sessionId;
    if (sessionId !== event.rootId) return; // only the sessions themselves, not their requests
    const time = Date.now();
    // Microsteps show every state the session passes through, also the transient ones
    // (`expired` on the way to a new OTP); snapshots catch changes without a state change.
    if (event.type === '@xstate.microstep' || event.type === '@xstate.snapshot') {
      observe(sessionId, event.snapshot, event.event.type, time);
    }
    if (event.type === '@xstate.event') {
      const view = sessions.get(sessionId);
      const line = describeEvent(event.event.type);
      if (view && line) addLine(view, line.kind, line.text, time);
    }
  };

  const server = createServer((req, res) => {
    // Only this machine, by name: a page elsewhere cannot reach it through DNS rebinding.
    const host = req.headers.host ?? '';
    if (host !== `127.0.0.1:${port}` && host !== `localhost:${port}`) {
      res.writeHead(403).end();
      return;
    }
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/') {
      res
        .writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' })
        .end(INSPECTOR_PAGE);
    } else if (path === '/graph') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(graph);
    } else if (path === '/favicon.svg' || path === '/favicon.ico') {
      res
        .writeHead(200, { 'content-type': 'image/svg+xml', 'cache-control': 'max-age=86400' })
        .end(INSPECTOR_FAVICON);
    } else if (path === '/events') {
      res.writeHead(200, {
        'content-type': 'text/event-stream',
        'cache-control': 'no-store',
        connection: 'keep-alive',
      });
      // A first comment sends the headers now, so that the page knows it is live.
      res.write(': connected\n\n');
      for (const message of [...sessions.values(), ...log])
        res.write(`data: ${JSON.stringify(message)}\n\n`);
      clients.add(res);
      res.on('close', () => clients.delete(res));
    } else {
      res.writeHead(404).end();
    }
  });
  const keepAlive = setInterval(() => {
    for (const client of clients) client.write(': keep-alive\n\n');
  }, 15_000).unref();

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}/`,
    inspect,
    close: () =>
      new Promise<void>((resolve) => {
        clearInterval(keepAlive);
        for (const client of clients) client.end();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
