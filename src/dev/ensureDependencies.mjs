#!/usr/bin/env node
// Runs before `npm start` and `npm test` (prestart, pretest): on a fresh clone, installs the
// locked dependencies first and says so, so that the README's two commands work with no
// command before them. Plain JavaScript: it must run before anything is installed.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const installed = join(root, 'node_modules', '.package-lock.json');

/** Whether node_modules holds what package-lock.json asks for (npm writes this file on install). */
function upToDate() {
  if (!existsSync(installed)) return false;
  try {
    const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8'));
    const have = JSON.parse(readFileSync(installed, 'utf8'));
    return Object.keys(lock.packages ?? {})
      .filter((path) => path.startsWith('node_modules/') && !lock.packages[path].optional)
      .every((path) => have.packages?.[path]?.version === lock.packages[path].version);
  } catch {
    return false;
  }
}

if (!upToDate()) {
  process.stderr.write('gstr-session: installing the locked dependencies first (npm ci)...\n');
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const result = spawnSync(npm, ['ci', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    process.stderr.write('gstr-session: npm ci failed; see above.\n');
    process.exit(result.status ?? 1);
  }
}
