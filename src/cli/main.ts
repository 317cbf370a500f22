#!/usr/bin/env node
/** The `gstr-session` command. */
import { runCli } from './runCli.js';

runCli(process.argv.slice(2), {
  stdin: process.stdin,
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  now: Date.now,
}).then(
  (code) => process.exit(code),
  () => process.exit(1),
);
