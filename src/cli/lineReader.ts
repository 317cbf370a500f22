import { createInterface } from 'node:readline';

/** Reads answers line by line from standard input, a terminal or a pipe. */
export interface LineReader {
  /** Writes the question to stderr and resolves with the next line, or `undefined` at end of input. */
  ask(question: string): Promise<string | undefined>;
  close(): void;
}

/** Creates a {@link LineReader} over `input`; prompts go to `output` so stdout stays clean JSON. */
export function createLineReader(
  input: NodeJS.ReadableStream,
  output: NodeJS.WritableStream,
): LineReader {
  const rl = createInterface({ input, terminal: false });
  const lines = rl[Symbol.asyncIterator]();
  return {
    async ask(question) {
      output.write(question);
      const next = await lines.next();
      return next.done ? undefined : String(next.value);
    },
    close: () => rl.close(),
  };
}
