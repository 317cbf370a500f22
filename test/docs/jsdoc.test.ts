import { resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const ENTRY_POINTS = [
  'src/index.ts',
  'src/node/index.ts',
  'src/testing/index.ts',
  'src/redis/index.ts',
  'src/otel/index.ts',
];

/** The public exports of an entry point that have no JSDoc summary. */
function undocumentedExports(program: ts.Program, file: string): string[] {
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(resolve(ROOT, file));
  const module = source && checker.getSymbolAtLocation(source);
  if (!module) throw new Error(`cannot read ${file}`);
  return checker.getExportsOfModule(module).flatMap((symbol) => {
    const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
    const summary = ts.displayPartsToString(target.getDocumentationComment(checker)).trim();
    return summary ? [] : [`${file}: ${symbol.getName()}`];
  });
}

describe('the public API', () => {
  it('has a JSDoc summary on every export', () => {
    const program = ts.createProgram(
      ENTRY_POINTS.map((f) => resolve(ROOT, f)),
      {
        module: ts.ModuleKind.NodeNext,
        moduleResolution: ts.ModuleResolutionKind.NodeNext,
        strict: true,
      },
    );
    const missing = ENTRY_POINTS.flatMap((file) => undocumentedExports(program, file));
    expect(missing).toEqual([]);
  });
});
