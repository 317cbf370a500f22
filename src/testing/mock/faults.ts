import type { IncomingMessage, ServerResponse } from 'node:http';
import type { MockFault, MockRoute, RecordedRequest } from './types.js';

/** Which fault each route has now, and the requests a `hang` or `stallBody` fault holds. */
export interface FaultBoard {
  set(route: MockRoute | '*', fault: MockFault | undefined): void;
  clear(): void;
  /** The fault for this request of `route` (counting it against `times`), if any. */
  take(route: MockRoute | 'unknown'): MockFault | undefined;
  /** Holds a request until `release` (with a status) or until its client goes away. */
  hold(res: ServerResponse): Promise<number | undefined>;
  /** How many requests are held. */
  held(): number;
  /** Lets every held request go, with `status` (or none: the connection is dropped). */
  release(status?: number): void;
}

/** Creates the fault board of a mock: faults are per route, `*` for every other route. */
export function createFaultBoard(): FaultBoard {
  const faults = new Map<MockRoute | '*', { fault: MockFault; left: number }>();
  const holds = new Set<(status?: number) => void>();
  return {
    set(route, fault) {
      if (fault) faults.set(route, { fault, left: fault.times ?? Number.POSITIVE_INFINITY });
      else faults.delete(route);
    },
    clear: () => faults.clear(),
    take(route) {
      if (route === 'unknown') return undefined;
      const key = faults.has(route) ? route : '*';
      const entry = faults.get(key);
      if (!entry) return undefined;
      if (entry.fault.rate !== undefined && !(Math.random() < entry.fault.rate)) return undefined;
      entry.left -= 1;
      if (entry.left <= 0) faults.delete(key);
      return entry.fault;
    },
    hold(res) {
      return new Promise<number | undefined>((resolve) => {
        const done = (status?: number): void => {
          holds.delete(done);
          resolve(status);
        };
        holds.add(done);
        res.once('close', () => done());
      });
    },
    held: () => holds.size,
    release(status) {
      for (const done of [...holds]) done(status);
    },
  };
}

/** Writes an answer and records its status. */
export function send(
  res: ServerResponse,
  record: RecordedRequest,
  status: number,
  payload?: string,
  headers: Record<string, string> = {},
): void {
  record.status = status;
  if (payload === undefined) {
    res.writeHead(status, headers).end();
    return;
  }
  res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(payload);
}

/**
 * Plays a fault that replaces the answer before the face is asked (a reset, a redirect, a huge
 * body, a held request). Answers whether it did: then the request is over.
 */
export async function playTransportFault(
  fault: MockFault | undefined,
  req: IncomingMessage,
  res: ServerResponse,
  record: RecordedRequest,
  board: FaultBoard,
  errorBody: (status: number, message: string, code?: string) => string,
): Promise<boolean> {
  switch (fault?.kind) {
    case 'reset':
      req.socket.destroy();
      return true;
    case 'redirect':
      send(res, record, fault.status ?? 307, undefined, { location: fault.location });
      return true;
    case 'oversize': {
      record.status = 200;
      const payload = `{"result":{"pad":"${'x'.repeat(Math.max(0, fault.bytes - 20))}"}}`;
      res.writeHead(200, {
        'content-type': 'application/json',
        ...(fault.declared === false
          ? {}
          : { 'content-length': String(Buffer.byteLength(payload)) }),
      });
      // In chunks, so that a client that stops reading early is not sent the rest at once.
      for (let i = 0; i < payload.length && !res.destroyed; i += 65_536) {
        if (!res.write(payload.slice(i, i + 65_536))) await drainedOrClosed(res);
      }
      if (!res.destroyed) res.end();
      return true;
    }
    case 'hang': {
      // Held until the client gives up, the test releases it with a status, or the mock closes.
      const status = await board.hold(res);
      if (status === undefined || res.destroyed) req.socket.destroy();
      else send(res, record, status, errorBody(status, 'released hang'));
      return true;
    }
    case 'delay':
      await new Promise((r) => setTimeout(r, fault.ms));
      return false;
    case 'status': {
      const headers: Record<string, string> =
        fault.retryAfterSeconds === undefined
          ? {}
          : { 'retry-after': String(fault.retryAfterSeconds) };
      send(
        res,
        record,
        fault.status,
        errorBody(fault.status, 'injected fault', fault.code),
        headers,
      );
      return true;
    }
    default:
      return false;
  }
}

/** A copy of `body` with the field at a dotted path deleted, or set to `value`. */
export function withField(
  body: unknown,
  dotted: string,
  change: { value: unknown } | 'delete',
): unknown {
  const copy = structuredClone(body) as Record<string, unknown>;
  const keys = dotted.split('.');
  let target: Record<string, unknown> | undefined = copy;
  for (const key of keys.slice(0, -1)) {
    const next: unknown = target?.[key];
    target =
      typeof next === 'object' && next !== null ? (next as Record<string, unknown>) : undefined;
  }
  const last = keys[keys.length - 1] ?? '';
  if (!target) return copy;
  if (change === 'delete') delete target[last];
  else target[last] = change.value;
  return copy;
}

/**
 * Sends a face's answer through the faults that alter it: a broken or changed body, or a body
 * that stalls halfway or drips one byte at a time.
 */
export async function sendAltered(
  fault: MockFault | undefined,
  res: ServerResponse,
  record: RecordedRequest,
  board: FaultBoard,
  answer: { readonly status: number; readonly body?: unknown },
): Promise<void> {
  const ok = answer.status < 300;
  if (fault?.kind === 'malformedJson' && ok && answer.body !== undefined) {
    send(res, record, answer.status, '{"result": {"authToken": ');
    return;
  }
  const body =
    fault?.kind === 'missingField' && ok
      ? withField(answer.body, fault.field, 'delete')
      : fault?.kind === 'setField' && ok
        ? withField(answer.body, fault.field, { value: fault.value })
        : answer.body;
  // Bytes (a file of a large answer) go out as they are.
  if (Buffer.isBuffer(body) && fault?.kind !== 'stallBody' && fault?.kind !== 'drip') {
    record.status = answer.status;
    res.writeHead(answer.status, { 'content-type': 'application/octet-stream' }).end(body);
    return;
  }
  if (fault?.kind !== 'stallBody' && fault?.kind !== 'drip') {
    send(res, record, answer.status, body === undefined ? undefined : JSON.stringify(body));
    return;
  }
  // A bodiless answer (logout's 204) gets a small body, so that it too can stall or drip.
  const payload = JSON.stringify(body ?? { ok: true, pad: 'x'.repeat(64) });
  const status = body === undefined ? 200 : answer.status;
  record.status = status;
  res.writeHead(status, { 'content-type': 'application/json' });
  if (fault.kind === 'drip') {
    const bytes = Buffer.from(payload, 'utf8');
    for (let i = 0; i < bytes.length && !res.destroyed; i++) {
      res.write(bytes.subarray(i, i + 1));
      await new Promise((r) => setTimeout(r, fault.intervalMs));
    }
    if (!res.destroyed) res.end();
    return;
  }
  // Half the answer, then silence until the client gives up or the mock closes.
  res.write(payload.slice(0, Math.floor(payload.length / 2)));
  await board.hold(res);
  res.destroy();
}

/**
 * Waits until a response can take more, or is gone; the other listener is removed, so a long
 * answer written in many chunks does not pile up listeners on one response.
 */
function drainedOrClosed(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.once('drain', done);
    res.once('close', done);
  });
}
