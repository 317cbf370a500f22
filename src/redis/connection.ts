import { StoreUnavailableError } from '../errors/StoreUnavailableError.js';

/**
 * The little of a Redis client that the store uses: raw commands and one subscription. Both
 * node-redis (v5, v6) and ioredis (v5) fit it through {@link connectionOf}.
 */
export interface RedisConnection {
  /** Sends one command; fails fast with `StoreUnavailableError` when not connected or too slow. */
  send(args: readonly string[], operation: string): Promise<unknown>;
  /**
   * Subscribes to `channel` on a connection of its own (a subscribed connection cannot run
   * commands); `onReady` runs each time the subscription is (re)established.
   */
  subscribe(
    channel: string,
    onMessage: (message: string) => void,
    onReady: () => void,
  ): Promise<() => Promise<void>>;
}

/** node-redis v4 to v6, as far as this store uses it. */
interface NodeRedisLike {
  readonly isReady: boolean;
  sendCommand(args: readonly string[]): Promise<unknown>;
  duplicate(): NodeRedisLike & {
    connect(): Promise<unknown>;
    on(event: string, listener: (...args: unknown[]) => void): unknown;
    subscribe(channel: string, listener: (message: unknown) => void): Promise<unknown>;
    close?(): Promise<unknown>;
    quit?(): Promise<unknown>;
    destroy?(): unknown;
  };
}

/** ioredis v4 to v6, as far as this store uses it. */
interface IoredisLike {
  readonly status: string;
  call(command: string, ...args: string[]): Promise<unknown>;
  duplicate(): IoredisLike & {
    on(event: string, listener: (...args: unknown[]) => void): unknown;
    subscribe(channel: string): Promise<unknown>;
    quit(): Promise<unknown>;
    disconnect(): void;
  };
}

// Told apart by what only one of them has: ioredis has a `sendCommand` too (of its own
// Command objects), so its `status` string and `call` decide first.
const isIoredis = (client: object): client is IoredisLike =>
  typeof (client as Partial<IoredisLike>).call === 'function' &&
  typeof (client as Partial<IoredisLike>).status === 'string' &&
  typeof (client as Partial<IoredisLike>).duplicate === 'function';

const isNodeRedis = (client: object): client is NodeRedisLike =>
  !isIoredis(client) &&
  typeof (client as Partial<NodeRedisLike>).sendCommand === 'function' &&
  typeof (client as Partial<NodeRedisLike>).isReady === 'boolean' &&
  typeof (client as Partial<NodeRedisLike>).duplicate === 'function';

/**
 * A connected Redis client as the store sees it: node-redis (`createClient()`, v4 to v6) or
 * ioredis (v4 to v6). Structural, so the app's own client of any of those versions fits
 * without this package importing either.
 */
export type RedisClientLike =
  | {
      readonly isReady: boolean;
      sendCommand(args: never): Promise<unknown>;
      duplicate(...args: never[]): unknown;
    }
  | {
      readonly status: string;
      call(command: never, ...args: never[]): Promise<unknown>;
      duplicate(...args: never[]): unknown;
    };

/**
 * The `keyPrefix` an ioredis client was created with, if any: ioredis adds it to every key
 * but not to the pattern of `SCAN`, so the store would write records it can never list.
 */
export function ioredisKeyPrefixOf(client: unknown): string | undefined {
  if (typeof client !== 'object' || client === null || !isIoredis(client)) return undefined;
  const prefix = (client as { options?: { keyPrefix?: unknown } }).options?.keyPrefix;
  return typeof prefix === 'string' && prefix !== '' ? prefix : undefined;
}

/** Whether a value is a client this store can use (node-redis or ioredis). */
export function isRedisClient(client: unknown): boolean {
  return (
    typeof client === 'object' && client !== null && (isNodeRedis(client) || isIoredis(client))
  );
}

/**
 * Races a command against the store's deadline. A client that queues commands while it is
 * disconnected would otherwise hold the caller until Redis returns: new work must fail fast.
 */
function withDeadline<T>(run: () => Promise<T>, timeoutMs: number, operation: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new StoreUnavailableError('redis', operation, `no answer in ${timeoutMs} ms`)),
      timeoutMs,
    );
    run().then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        // The client's own error may hold the URL with its password: only its class is kept
        // (its constructor's name when it leaves `name` as 'Error', as node-redis' TimeoutError
        // of a command that waited past the client's own timeout does).
        const kind =
          error instanceof Error
            ? error.name !== 'Error'
              ? error.name
              : error.constructor.name || 'Error'
            : 'error';
        reject(new StoreUnavailableError('redis', operation, `the command failed (${kind})`));
      },
    );
  });
}

/** Adapts a connected node-redis or ioredis client; `timeoutMs` bounds every command. */
export function connectionOf(client: object, timeoutMs: number): RedisConnection {
  const node = isNodeRedis(client);
  const ready = (): boolean =>
    node ? (client as NodeRedisLike).isReady : (client as IoredisLike).status === 'ready';
  const raw = (args: readonly string[]): Promise<unknown> =>
    node
      ? (client as NodeRedisLike).sendCommand(args)
      : (client as IoredisLike).call(args[0] ?? '', ...args.slice(1));
  return {
    send(args, operation) {
      if (!ready())
        return Promise.reject(new StoreUnavailableError('redis', operation, 'not connected'));
      return withDeadline(() => raw(args), timeoutMs, operation);
    },
    async subscribe(channel, onMessage, onReady) {
      if (node) {
        const sub = (client as NodeRedisLike).duplicate();
        // An 'error' event without a listener would crash the process on a lost connection;
        // the client reconnects by itself and resubscribes, and 'ready' says when.
        sub.on('error', () => {});
        let first = true;
        sub.on('ready', () => {
          if (first) first = false;
          else onReady();
        });
        await withDeadline(() => sub.connect(), timeoutMs, 'subscribe');
        // A message is a string; anything else (a client not quite as expected) is dropped
        // here rather than thrown inside the client's callback.
        const listener = (message: unknown) => {
          if (typeof message === 'string') onMessage(message);
        };
        await withDeadline(() => sub.subscribe(channel, listener), timeoutMs, 'subscribe');
        onReady();
        return async () => {
          try {
            await (sub.close ? sub.close() : sub.quit?.());
          } catch {
            sub.destroy?.();
          }
        };
      }
      const sub = (client as IoredisLike).duplicate();
      sub.on('error', () => {});
      sub.on('message', (...args: unknown[]) => {
        if (args[0] === channel && typeof args[1] === 'string') onMessage(args[1]);
      });
      let first = true;
      sub.on('ready', () => {
        if (first) first = false;
        else onReady();
      });
      await withDeadline(() => sub.subscribe(channel), timeoutMs, 'subscribe');
      onReady();
      return async () => {
        try {
          await sub.quit();
        } catch {
          sub.disconnect();
        }
      };
    },
  };
}
