import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stateDiagramMarkdown } from '../../docs/stateDiagramMarkdown.js';
import { gstrSessionMachine } from '../../machines/gstrSession.machine.js';
import { toMermaidStateDiagram } from '../../machines/toMermaid.js';
import { allTransitions } from '../model/transitionCoverage.js';

describe('docs/state-diagram.md', () => {
  it('matches the machine (run `npm run docs` after changing it)', async () => {
    const committed = await readFile(
      join(resolve(import.meta.dirname, '../..'), 'docs', 'state-diagram.md'),
      'utf8',
    );
    expect(committed).toBe(stateDiagramMarkdown(gstrSessionMachine));
  });

  it('draws one arrow per transition target, from the initial state on', () => {
    const diagram = toMermaidStateDiagram(gstrSessionMachine);
    const arrows = diagram
      .split('\n')
      .filter((line) => line.includes(' --> ') && !line.includes('[*]'));
    const expected = allTransitions(gstrSessionMachine).reduce(
      (n, t) => n + Math.max(1, t.target?.length ?? 0),
      0,
    );
    expect(arrows).toHaveLength(expected);
    expect(diagram).toContain('[*] --> loggedOut');
    expect(diagram).toContain(
      'verifyingOtp --> otpRequested : error [isOtpRejected and hasOtpAttemptsLeft]',
    );
  });
});
