import { traceLockWait } from '../telemetry/traceChannels.js';

/**
 * How one lock is taken, kept and given back on its store: a session's lock, or an API
 * account's login lock. The store measures its lifetime (Redis keeps that time).
 */
export interface LockPort {
  /** Takes the lock for `ttlMs`: its owner token, or none while someone else holds it. */
  take(ttlMs: number): Promise<string | undefined>;
  /** Extends a held lock; false when it lapsed (or was taken over). Absent: it cannot be. */
  readonly extend?: ((owner: string, ttlMs: number) => Promise<boolean>) | undefined;
  /** Gives a held lock back (only if still held by `owner`). */
  release(owner: string): Promise<void>;
}

/**
 * A lock this worker holds: one keep-alive, one way to extend it, one way to give it back.
 * Once given back, spent (a commit released it on the store) or found lapsed, it is no longer
 * `held`, and every method is safe to call again: the places that end a lock cannot disagree
 * about whether it is still held.
 */
export class Lease {
  #held = true;

  constructor(
    /** The owner token the store gave. */
    readonly owner: string,
    private readonly port: LockPort,
    private readonly ttlMs: number,
    /** Where a failure to extend or release goes (it lapses by itself anyway). */
    private readonly report: (what: string, error: unknown) => void,
  ) {}

  /** Whether this worker still holds it, as far as it knows. */
  get held(): boolean {
    return this.#held;
  }

  /** Extends it now: false (and no longer held) when it lapsed meanwhile. */
  async renew(): Promise<boolean> {
    if (!this.#held) return false;
    if (!this.port.extend) return true;
    const kept = await this.port.extend(this.owner, this.ttlMs);
    if (!kept) this.#held = false;
    return kept;
  }

  /** Keeps it alive, every third of its lifetime, until the returned function is called. */
  keepAlive(): () => void {
    const { extend } = this.port;
    if (!extend) return () => {};
    const timer = setInterval(() => {
      if (!this.#held) return;
      extend(this.owner, this.ttlMs).then(
        (kept) => {
          if (!kept) this.#held = false;
        },
        (error: unknown) => this.report('cannot extend the lock of', error),
      );
    }, this.ttlMs / 3);
    return () => clearInterval(timer);
  }

  /** Gives it back (best effort: it lapses by itself anyway). Never rejects. */
  release(): Promise<void> {
    if (!this.#held) return Promise.resolve();
    this.#held = false;
    return this.port.release(this.owner).catch((error: unknown) => this.report('unlock', error));
  }

  /** The store released it itself (a commit gives its lock back, won or lost). */
  spent(): void {
    this.#held = false;
  }

  /** What an inspector or a log shows of it: whether it is held (not its port or owner). */
  toJSON(): { readonly held: boolean } {
    return { held: this.#held };
  }
}

/** How {@link acquireLease} waits for a lock someone else holds. */
export interface AcquireOptions {
  /** Which lock, for the trace point. */
  readonly kind: 'session' | 'login';
  readonly ttlMs: number;
  /** Until when it waits (ms since the epoch, real time: the store keeps the lock's time). */
  readonly deadline: number;
  readonly signal?: AbortSignal | undefined;
  /** Waits before the next try (a change message, a jittered poll). */
  wait(attempt: number): Promise<void>;
  /** After a wait: whether the work the lock was for was done meanwhile (then no lock). */
  giveWay(): Promise<boolean>;
  /** Once taken: whether it is still wanted (else it is given back, and that is giving way). */
  readonly stillWanted?: (() => boolean) | undefined;
  readonly report: (what: string, error: unknown) => void;
}

/** What waiting for a lock came to. */
export type Acquired =
  | { readonly kind: 'taken'; readonly lease: Lease }
  | { readonly kind: 'gaveWay' }
  | { readonly kind: 'gaveUp' };

/**
 * Takes a lock, waiting while someone else holds it, until the work is done by them (giving
 * way), the deadline passes (giving up), or the signal aborts (it throws the signal's reason).
 * The one wait for a lock: a session's provider call and an account's login both use it, and
 * both report the wait on the `lock-wait` trace point.
 */
export async function acquireLease(port: LockPort, options: AcquireOptions): Promise<Acquired> {
  const started = Date.now();
  const traced = (outcome: 'acquired' | 'superseded' | 'gaveUp') =>
    traceLockWait({ lock: options.kind, waitedMs: Date.now() - started, outcome });
  for (let attempt = 0; ; attempt += 1) {
    options.signal?.throwIfAborted();
    const owner = await port.take(options.ttlMs);
    if (owner) {
      const lease = new Lease(owner, port, options.ttlMs, options.report);
      if (options.stillWanted && !options.stillWanted()) {
        await lease.release();
        traced('superseded');
        return { kind: 'gaveWay' };
      }
      traced('acquired');
      return { kind: 'taken', lease };
    }
    if (Date.now() > options.deadline) {
      traced('gaveUp');
      return { kind: 'gaveUp' };
    }
    await options.wait(attempt);
    options.signal?.throwIfAborted();
    if (await options.giveWay()) {
      traced('superseded');
      return { kind: 'gaveWay' };
    }
  }
}
