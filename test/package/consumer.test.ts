import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
let app: string;

/** What an app exports that is derived from the package's types, not written by the app. */
const APP = `
import { createActor } from 'xstate';
import { createGstrSession, createSessionManager, gstrSessionMachine, signzyProvider } from 'gstr-session';
import { gstnProvider, startInspector } from 'gstr-session/node';
import { redisStore } from 'gstr-session/redis';
import { createTestRig } from 'gstr-session/testing';

const provider = signzyProvider({ username: 'u', password: 'p' });
const input = { provider, gstin: '27AAPFU0939F1ZV', username: 'x' };
export const machine = gstrSessionMachine;
export const session = createGstrSession(input);
export const snapshot = session.snapshot;
export const context = session.snapshot.context;
export const actor = createActor(gstrSessionMachine, { input });
export const manager = () => createSessionManager({ provider });
export const rig = () => createTestRig();
export const inspector = () => startInspector();
export const gstn = (certificate: string) =>
  gstnProvider({ baseUrl: 'https://gsp.test', clientId: 'c', clientSecret: 's', certificate });
export const store = (client: Parameters<typeof redisStore>[0]['client']) =>
  redisStore({ client, sealKey: new Uint8Array(32) });
`;

// `npm test` builds first; a bare `vitest` run builds here.
beforeAll(async () => {
  if (!existsSync(join(ROOT, 'dist', 'src', 'index.d.ts')))
    execFileSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: ROOT });
  // The package as an app's node_modules holds it: its files and package.json, no sources.
  app = await mkdtemp(join(tmpdir(), 'gstr-consumer-'));
  const installed = join(app, 'node_modules', 'gstr-session');
  await mkdir(installed, { recursive: true });
  await cp(join(ROOT, 'dist'), join(installed, 'dist'), { recursive: true });
  await cp(join(ROOT, 'package.json'), join(installed, 'package.json'));
  for (const dependency of ['xstate', 'ky', 'valibot', 'redis', '@types', 'undici-types']) {
    if (existsSync(join(ROOT, 'node_modules', dependency)))
      await symlink(join(ROOT, 'node_modules', dependency), join(app, 'node_modules', dependency));
  }
  await writeFile(join(app, 'package.json'), '{ "type": "module" }\n');
  await writeFile(join(app, 'index.ts'), APP);
  await writeFile(
    join(app, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        target: 'es2022',
        module: 'nodenext',
        moduleResolution: 'nodenext',
        declaration: true,
        strict: true,
        outDir: 'out',
        types: ['node'],
      },
      files: ['index.ts'],
    }),
  );
}, 180_000);

afterAll(async () => {
  if (app) await rm(app, { recursive: true, force: true });
});

describe('an app that installed the package', () => {
  it('exports what it derives from the public types with declaration: true (no TS2742)', () => {
    const tsc = spawnSync(
      process.execPath,
      [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', app],
      { encoding: 'utf8' },
    );
    expect(`${tsc.stdout}${tsc.stderr}`).toBe('');
    expect(tsc.status).toBe(0);
  });
});
