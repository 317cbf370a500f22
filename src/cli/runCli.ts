import { explainError } from '../errors/explainError.js';
import { isGstrError } from '../errors/isGstrError.js';
import { VERSION } from '../version.js';
import type { CliIo } from './CliIo.js';
import { loginCommand } from './loginCommand.js';
import { statusCommand } from './statusCommand.js';
import { UsageError } from './UsageError.js';
import { USAGE } from './usage.js';

/**
 * Runs the CLI on an argument list and returns the exit code: 0 ok, 1 failure, 2 usage.
 * Errors are one line on stderr; `--debug` adds the stack.
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  const debug = rest.includes('--debug');
  try {
    if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
      (command === undefined ? io.stderr : io.stdout).write(`${USAGE.main}\n`);
      return command === undefined ? 2 : 0;
    }
    if (command === '--version' || command === '-v' || command === 'version') {
      io.stdout.write(`${VERSION}\n`);
      return 0;
    }
    if (command === 'login') return await loginCommand(rest, io);
    if (command === 'status') return await statusCommand(rest, io);
    throw new UsageError(`unknown command "${command}"`);
  } catch (error) {
    const usage =
      error instanceof UsageError ||
      isGstrError(error, 'InvalidInputError') ||
      (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
    // A person reads this: what failed in their words, the same for every provider.
    const said = usage ? ((error as Error).message ?? String(error)) : explainError(error);
    io.stderr.write(`gstr-session: ${said}${usage ? ' (see --help)' : ''}\n`);
    if (debug && error instanceof Error && error.stack) io.stderr.write(`${error.stack}\n`);
    return usage ? 2 : 1;
  }
}
