/**
 * `npm run docs`: writes docs/state-diagram.md from the machine. (TypeDoc then writes the
 * API reference; see package.json.)
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gstrSessionMachine } from '../machines/gstrSession.machine.js';
import { stateDiagramMarkdown } from './stateDiagramMarkdown.js';

await writeFile(
  join(import.meta.dirname, 'state-diagram.md'),
  stateDiagramMarkdown(gstrSessionMachine),
);
console.log('wrote docs/state-diagram.md');
