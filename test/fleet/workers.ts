import { type ChildProcess, fork } from 'node:child_process';
import { resolve } from 'node:path';

const WORKER = resolve(import.meta.dirname, 'fleetWorker.mjs');

/** What a worker is started with (see fleetWorker.mjs). */
export interface WorkerConfig {
  readonly redisUrl: string;
  readonly mockUrl: string;
  readonly sealKey: string;
  readonly prefix: string;
  readonly lockTtlMs?: number;
  readonly pollIntervalMs?: number;
  readonly commandTimeoutMs?: number;
  readonly reauth?: 'auto' | 'manual';
  readonly refreshLeadMs?: number;
  readonly refreshJitterMs?: number;
  /** How long an OTP is accepted, in the session clock's ms. Default the session's. */
  readonly otpValidityMs?: number;
  /** How often the scheduler checks the wall clock, in the session clock's ms. Default 200. */
  readonly clockCheckMs?: number;
  /**
   * Provider time runs this many times faster than real time, from `epoch` (the benchmark of
   * a whole access window): the sessions, the provider client and the mock share that clock.
   * Default 1.
   */
  readonly clockFactor?: number;
  readonly epoch?: number;
  /** The provider client's own retries. Default 0 (the tests count every request). */
  readonly providerRetries?: number;
  /** The account's limits (the manager's `limits`). */
  readonly limits?: Record<string, number>;
  /** Calls `manager.start()` when the worker starts (an app's warm-up after a restart). */
  readonly warmUp?: boolean;
  /** Runs NIC's e-way bill provider against the mock's e-way bill face instead of Sandbox. */
  readonly nic?: {
    readonly clientId: string;
    readonly clientSecret: string;
    readonly publicKey: string;
    readonly password: string;
    readonly tokenLifetimeMs: number;
  };
}

/** An answer of a worker: a value, or the error's class and message. */
export type Answer =
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly error: { readonly name: string; readonly message: string } };

/** One worker process, driven over IPC. */
export interface Worker {
  readonly name: string;
  readonly child: ChildProcess;
  /** Events the worker's manager announced. */
  readonly events: { type: string; gstin: string; worker: string }[];
  /** Unhandled rejections the worker saw (must stay empty). */
  readonly unhandled: string[];
  /** What the worker's manager logged at warn and error (no secret reaches a log). */
  readonly logs: string[];
  ask(op: string, args?: Record<string, unknown>): Promise<Answer>;
  kill(signal: NodeJS.Signals): Promise<void>;
}

/** Forks a worker on the built package and waits until its manager is ready. */
export async function startWorker(name: string, config: WorkerConfig): Promise<Worker> {
  const child = fork(WORKER, [], {
    env: { ...process.env, GSTR_FLEET: JSON.stringify({ ...config, name }) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const pending = new Map<number, (answer: Answer) => void>();
  const events: Worker['events'] = [];
  const unhandled: string[] = [];
  const logs: string[] = [];
  let next = 0;
  let gone = false;
  const ready = new Promise<void>((resolveReady, reject) => {
    child.once('exit', (code) => reject(new Error(`worker ${name} exited (${code})`)));
    child.on('message', (message: Record<string, unknown>) => {
      if (message.ready) resolveReady();
      else if (message.event) events.push(message.event as Worker['events'][number]);
      else if (message.unhandled) unhandled.push(String(message.unhandled));
      else if (message.log) logs.push(`${Date.now() % 100_000} ${String(message.log)}`);
      else pending.get(Number(message.id))?.(message as unknown as Answer);
    });
  });
  child.once('exit', () => {
    gone = true;
    for (const settle of pending.values())
      settle({ ok: false, error: { name: 'WorkerGone', message: `${name} exited` } });
  });
  await ready;
  return {
    name,
    child,
    events,
    unhandled,
    logs,
    ask(op, args = {}) {
      if (gone) return Promise.resolve({ ok: false, error: { name: 'WorkerGone', message: name } });
      const id = next++;
      return new Promise<Answer>((settle) => {
        pending.set(id, (answer) => {
          pending.delete(id);
          settle(answer);
        });
        // A worker that died a moment ago has a closed channel before its 'exit' event: the
        // send fails (thrown, or through the callback), and the ask settles as WorkerGone.
        const lost = () =>
          pending.get(id)?.({ ok: false, error: { name: 'WorkerGone', message: name } });
        try {
          child.send({ id, op, ...args }, (error) => {
            if (error) lost();
          });
        } catch {
          lost();
        }
      });
    },
    async kill(signal) {
      if (gone) return;
      await new Promise<void>((done) => {
        child.once('exit', () => done());
        child.kill(signal);
      });
    },
  };
}

/**
 * Polls `condition` every 25 ms until it holds (no fixed sleeps), or fails after `ms` with
 * what `explain` says of the run (a failure on a busy CI machine must say what happened).
 */
export async function eventually(
  condition: () => boolean | Promise<boolean>,
  ms = 15_000,
  explain: () => string = () => '',
): Promise<void> {
  const until = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > until) throw new Error(`condition not met in time\n${explain()}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
