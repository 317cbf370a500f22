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
  let next = 0;
  let gone = false;
  const ready = new Promise<void>((resolveReady, reject) => {
    child.once('exit', (code) => reject(new Error(`worker ${name} exited (${code})`)));
    child.on('message', (message: Record<string, unknown>) => {
      if (message.ready) resolveReady();
      else if (message.event) events.push(message.event as Worker['events'][number]);
      else if (message.unhandled) unhandled.push(String(message.unhandled));
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
    ask(op, args = {}) {
      if (gone) return Promise.resolve({ ok: false, error: { name: 'WorkerGone', message: name } });
      const id = next++;
      return new Promise<Answer>((settle) => {
        pending.set(id, (answer) => {
          pending.delete(id);
          settle(answer);
        });
        child.send({ id, op, ...args });
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

/** Polls `condition` every 25 ms until it holds (no fixed sleeps), or fails after `ms`. */
export async function eventually(condition: () => boolean, ms = 15_000): Promise<void> {
  const until = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 25));
  }
}
