import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const TMP = join(ROOT, 'test', `.tmp-blocks-${process.pid}`);

/** What a block may use without defining: the reader's own values, typed as an app has them. */
const PLACEHOLDERS: Record<string, string> = {
  baseUrl: 'declare const baseUrl: string;',
  apiUser: 'declare const apiUser: string;',
  apiKey: 'declare const apiKey: string;',
  apiSecret: 'declare const apiSecret: string;',
  app: 'declare const app: { post(path: string, handler: (req: { body: { gstin: string; username: string; otp: string } }, res: { sendStatus(code: number): void }) => Promise<void>): void };',
  client: "declare const client: import('redis').RedisClientType;",
  provider: "declare const provider: import('gstr-session').GstrProvider;",
  oldKey: 'declare const oldKey: string;',
  newKey: 'declare const newKey: string;',
  otpTypedByThePerson: 'declare const otpTypedByThePerson: string;',
  askThePersonForTheOtp: 'declare function askThePersonForTheOtp(reason: string): void;',
  notifyThePerson: 'declare function notifyThePerson(gstin: string, username: string): void;',
};

interface Block {
  readonly name: string;
  readonly code: string;
}

/** Every ```ts block of README.md and docs/*.md, except those marked `ts excerpt`. */
async function blocks(): Promise<Block[]> {
  const docs = (await readdir(join(ROOT, 'docs'))).filter((f) => f.endsWith('.md'));
  const files = ['README.md', ...docs.map((f) => join('docs', f))];
  const out: Block[] = [];
  for (const file of files) {
    const text = await readFile(join(ROOT, file), 'utf8');
    let index = 0;
    for (const match of text.matchAll(/```ts\n([\s\S]*?)```/g)) {
      index += 1;
      out.push({ name: `${file.replaceAll(/[/.]/g, '_')}_${index}`, code: match[1] ?? '' });
    }
  }
  return out;
}

/** A block as a module: the placeholders it uses and does not define, then the block. */
function moduleOf(block: Block): string {
  const defines = (name: string) =>
    new RegExp(`((const|let|function)\\s+|import[^;]*\\b)${name}\\b`).test(block.code);
  const declarations = Object.entries(PLACEHOLDERS)
    .filter(([name]) => new RegExp(`\\b${name}\\b`).test(block.code) && !defines(name))
    .map(([, declaration]) => declaration);
  return `${declarations.join('\n')}\n${block.code}\nexport {};\n`;
}

/** The diagnostics of compiling the blocks against the built package with these options. */
function diagnostics(files: string[], extra: ts.CompilerOptions): string[] {
  const base = ts.getParsedCommandLineOfConfigFile(
    join(ROOT, 'tsconfig.json'),
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: () => {},
    },
  );
  const options: ts.CompilerOptions = {
    ...base?.options,
    ...extra,
    noEmit: true,
    rootDir: ROOT,
    baseUrl: ROOT,
    // The package as users get it: the built declarations, not the sources.
    paths: {
      'gstr-session': ['dist/src/index.d.ts'],
      'gstr-session/testing': ['dist/src/testing/index.d.ts'],
      'gstr-session/node': ['dist/src/node/index.d.ts'],
      'gstr-session/redis': ['dist/src/redis/index.d.ts'],
      'gstr-session/otel': ['dist/src/otel/index.d.ts'],
    },
  };
  const program = ts.createProgram(files, options);
  return ts
    .getPreEmitDiagnostics(program)
    .filter((d) => d.file === undefined || files.includes(d.file.fileName))
    .map((d) => {
      const where = d.file
        ? `${d.file.fileName.slice(TMP.length + 1)}:${d.file.getLineAndCharacterOfPosition(d.start ?? 0).line + 1}`
        : '';
      return `${where} TS${d.code}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`;
    });
}

let files: string[] = [];

beforeAll(async () => {
  if (!existsSync(join(ROOT, 'dist', 'src', 'index.d.ts')))
    execFileSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: ROOT });
  await mkdir(TMP, { recursive: true });
  await writeFile(join(TMP, 'package.json'), '{ "type": "module" }\n');
  files = [];
  for (const block of await blocks()) {
    const file = join(TMP, `${block.name}.ts`);
    await writeFile(file, moduleOf(block));
    files.push(file);
  }
}, 180_000);

afterAll(async () => {
  await rm(TMP, { recursive: true, force: true });
});

describe('the TypeScript blocks of README.md and docs/', () => {
  it('are found (a renamed fence would silently check nothing)', () => {
    expect(files.length).toBeGreaterThanOrEqual(9);
  });

  it('typecheck against the built package with the project settings', () => {
    expect(diagnostics(files, {})).toEqual([]);
  });

  it('typecheck against the built package under @tsconfig/strictest', async () => {
    const strictest = JSON.parse(
      await readFile(join(ROOT, 'node_modules/@tsconfig/strictest/tsconfig.json'), 'utf8'),
    ) as { compilerOptions: Record<string, unknown> };
    const { options } = ts.convertCompilerOptionsFromJson(strictest.compilerOptions, ROOT);
    // Snippets show values for the reader to use: an unused one is not a type error.
    expect(
      diagnostics(files, { ...options, noUnusedLocals: false, noUnusedParameters: false }),
    ).toEqual([]);
  });
});
