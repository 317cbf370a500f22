import { afterEach } from 'vitest';

/**
 * A passing run is quiet: a process warning (a listener leak, a deprecation) or an XState
 * warning (an event sent to a stopped actor) is a bug to fix, so the test during which it
 * appeared fails and names it.
 */
const heard: string[] = [];

process.on('warning', (warning) => {
  heard.push(`${warning.name}: ${warning.message}`);
});

const warn = console.warn.bind(console);
console.warn = (...args: unknown[]) => {
  const [first] = args;
  if (typeof first === 'string' && /was sent to stopped actor|XState/.test(first))
    heard.push(first);
  warn(...args);
};

afterEach(() => {
  if (heard.length === 0) return;
  const said = heard.splice(0);
  throw new Error(`warnings during this test:\n${said.join('\n')}`);
});
