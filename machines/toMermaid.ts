import type { AnyStateMachine } from 'xstate';
import { walkChart } from './chartWalk.js';

/**
 * Renders a machine's top-level states and transitions as a Mermaid `stateDiagram-v2`, one
 * line per transition with its event and guard, in definition order (stable for diffs).
 *
 * @example
 * ```ts
 * console.log(toMermaidStateDiagram(gstrSessionMachine));
 * ```
 */
export function toMermaidStateDiagram(machine: AnyStateMachine): string {
  const chart = walkChart(machine);
  const lines = ['stateDiagram-v2'];
  if (chart.initial) lines.push(`  [*] --> ${chart.initial}`);
  for (const t of chart.transitions) {
    lines.push(`  ${t.source} --> ${t.target} : ${t.event}${t.guard ? ` [${t.guard}]` : ''}`);
  }
  return `${lines.join('\n')}\n`;
}
