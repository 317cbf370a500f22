import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AnyStateMachine, InspectionEvent } from 'xstate';
import { gstrSessionMachine } from '../../machines/gstrSession.machine.js';
import { inspectorGraph } from './inspectorGraph.js';
import { INSPECTOR_PAGE } from './inspectorPage.js';

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

/** What the page receives: a session's state, or a log line. Built from chosen fields only. */
type Message =
  | { type: 'session'; sessionId: string; gstin: string; state: string; time: number }
  | { type: 'log'; sessionId: string; gstin: string; text: string; time: number };

function describeEvent(type: string): string {
  if (type.startsWith('xstate.after.')) return 'timer fired';
  if (type.startsWith('xstate.done.actor.')) return `request done (${type.split('.').pop()})`;
  if (type.startsWith('xstate.error.actor.')) return `request failed (${type.split('.').pop()})`;
  return `event ${type}`;
}

/**
 * Starts a local, offline inspector on 127.0.0.1: a page that draws the session state chart,
 * highlights each session's current state live (Server-Sent Events) and lists the event log.
 * Only event types, state names, GSTINs and times leave the process: no context, no payloads,
 * so no secret can reach the page.
 *
 * @example
 * ```ts
 * const inspector = await startInspector({ port: 7777 });
 * const session = createGstrSession({ provider, gstin, username, inspect: inspector.inspect });
 * console.log(`open ${inspector.url}`);
 * ```
 */
export async function startInspector(options: InspectorOptions = {}): Promise<InspectorServer> {
  const graph = JSON.stringify(inspectorGraph(options.machine ?? gstrSessionMachine));
  const history = options.history ?? 200;
  const sessions = new Map<string, Extract<Message, { type: 'session' }>>();
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

  function gstinOf(snapshot: unknown): string | undefined {
    const gstin = (snapshot as { context?: { gstin?: unknown } } | undefined)?.context?.gstin;
    return typeof gstin === 'string' ? gstin : undefined;
  }

  const inspect = (event: InspectionEvent): void => {
    const sessionId = event.actorRef.sessionId;
    if (sessionId !== event.rootId) return; // only the sessions themselves, not their requests
    const time = Date.now();
    if (event.type === '@xstate.snapshot') {
      const gstin = gstinOf(event.snapshot);
      const value = (event.snapshot as { value?: unknown }).value;
      if (gstin === undefined || typeof value !== 'string') return;
      const previous = sessions.get(sessionId);
      if (previous?.state === value) return;
      const message = { type: 'session' as const, sessionId, gstin, state: value, time };
      sessions.set(sessionId, message);
      broadcast(message);
      broadcast({
        type: 'log',
        sessionId,
        gstin,
        text: `${previous?.state ?? 'start'} → ${value}`,
        time,
      });
    }
    if (event.type === '@xstate.event') {
      const gstin = gstinOf(event.actorRef.getSnapshot()) ?? sessions.get(sessionId)?.gstin ?? '';
      broadcast({ type: 'log', sessionId, gstin, text: describeEvent(event.event.type), time });
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
