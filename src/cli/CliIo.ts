/** What a CLI command reads and writes; the real process's streams, or a test's. */
export interface CliIo {
  readonly stdin: NodeJS.ReadableStream;
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Wall-clock time, for "time left". */
  readonly now: () => number;
}
