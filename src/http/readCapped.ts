import type { GstrStep } from '../errors/GstrError.js';
import { ResponseTooLargeError } from '../errors/ResponseTooLargeError.js';

/** Where a capped read happens, for its error. */
export interface CapContext {
  readonly maxBytes: number;
  readonly step: GstrStep;
  readonly host: string | undefined;
}

/**
 * Reads a body to its end, failing as soon as it grows past `maxBytes` or `signal` aborts.
 * The abort is raced against every read, so a body that stalls or drips cannot outlive the
 * step's deadline even with a `fetch` that ignores its signal.
 */
export async function readCapped(
  body: ReadableStream<Uint8Array> | null,
  cap: CapContext,
  signal: AbortSignal,
): Promise<Uint8Array<ArrayBuffer>> {
  if (!body) return new Uint8Array(new ArrayBuffer(0));
  const reader = body.getReader();
  let onAbort = (): void => {};
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(signal.reason);
  });
  // The race below may settle without it; a later rejection must not go unhandled.
  aborted.catch(() => {});
  if (signal.aborted) onAbort();
  else signal.addEventListener('abort', onAbort, { once: true });
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await Promise.race([reader.read(), aborted]);
      if (done) break;
      size += value.byteLength;
      if (size > cap.maxBytes) throw new ResponseTooLargeError(cap.maxBytes, cap);
      chunks.push(value);
    }
  } catch (error) {
    reader.cancel().catch(() => {});
    throw error;
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
  const out = new Uint8Array(new ArrayBuffer(size));
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}
