import { startWorker, type Worker, type WorkerConfig } from '../test/fleet/workers.js';

/**
 * Kills a random worker with SIGKILL every `crashEveryMs` (half to one and a half times that,
 * real time) and starts it again 200 ms later, until `stopped()`. `killed(worker)` hears each
 * victim just before it dies (its unhandled rejections and logs are still readable). The
 * benches of whole windows (OTPs, NIC logins) share it.
 */
export async function crashAtRandom(
  workers: (Worker | undefined)[],
  config: WorkerConfig,
  crashEveryMs: number,
  stopped: () => boolean,
  killed: (worker: Worker) => void,
): Promise<void> {
  let crashes = 0;
  while (!stopped()) {
    await new Promise((r) => setTimeout(r, crashEveryMs * (0.5 + Math.random())));
    if (stopped()) break;
    const i = Math.floor(Math.random() * workers.length);
    const worker = workers[i];
    if (!worker) continue;
    workers[i] = undefined;
    killed(worker);
    await worker.kill('SIGKILL');
    crashes += 1;
    await new Promise((r) => setTimeout(r, 200));
    if (!stopped()) workers[i] = await startWorker(`w${i}-${crashes}`, config);
  }
}
