import type { AnyStateMachine } from 'xstate';
import { toMermaidStateDiagram } from '../machines/toMermaid.js';

/** The whole docs/state-diagram.md page for a machine. */
export function stateDiagramMarkdown(machine: AnyStateMachine): string {
  const states = Object.values(machine.root.states)
    .map((node) => `| \`${node.key}\` | ${node.description ?? ''} |`)
    .join('\n');
  return `# The session state diagram

Generated from \`machines/gstrSession.machine.ts\` by \`npm run docs\`; a test fails when this
page no longer matches the machine. Transitions are listed with their event and guard;
\`after untilOtpCheck\` / \`after untilTokenCheck\` are the deadline timers (re-armed at least every
\`clockCheckMs\`), \`done\` / \`error\` are the results of a state's request.

\`\`\`mermaid
${toMermaidStateDiagram(machine)}\`\`\`

| state | meaning |
| --- | --- |
${states}
`;
}
