#!/usr/bin/env node
// Runs before `npm test` (pretest): puts Bun where the portability test looks for it, from
// the npm package that ships its binary (@oven/bun-linux-x64; nothing else is downloaded),
// so that a passing run on a developer's machine runs that test too instead of printing that
// it skipped. Quiet when Bun is there already; on another platform, or offline, the test
// skips and says which package it wanted (CI, on linux-x64, never skips).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The Bun the test runs: one version, so that a run is the same on every machine. */
const PACKAGE = '@oven/bun-linux-x64@1.4.5';
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const home = join(root, 'node_modules', '.cache', 'gstr-session', 'bun');

if (
  process.platform === 'linux' &&
  process.arch === 'x64' &&
  !existsSync(join(home, 'bin', 'bun'))
) {
  const work = mkdtempSync(join(tmpdir(), 'gstr-bun-'));
  try {
    const npm = spawnSync('npm', ['pack', '--silent', PACKAGE], { cwd: work, encoding: 'utf8' });
    const tarball = readdirSync(work).find((name) => name.endsWith('.tgz'));
    if (npm.status === 0 && tarball) {
      mkdirSync(home, { recursive: true });
      spawnSync('tar', ['-xzf', join(work, tarball), '-C', home, '--strip-components=1']);
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
